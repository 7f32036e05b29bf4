package io.multiaz.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API server on a real Javalin at an ephemeral port, over the tests' fixed backend: requests
 * beyond the limits are answered in RDS's error form before anything is read or decoded (issue 21).
 */
final class RdsApiServerTest {
    private static final AccessKey KEY = new AccessKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";

    private final FixedBackend backend = new FixedBackend();
    private RdsApiServer server;

    private RdsApiServer start(RequestLimits limits) {
        server = new RdsApiServer(KEY, backend.actions(), Clock.systemUTC(), limits).start("127.0.0.1", 0);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void post_tenMegabyteBody_requestEntityTooLarge413InRdsXml() throws Exception {
        // regression, issue 21: a 10 MB form body answered "HTTP 500 Server Error" (Javalin's limit escaped)
        start(RequestLimits.DEFAULTS);
        byte[] body = ("Action=DescribeDBClusters&Version=2014-10-31&Marker=" + "x".repeat(10_000_000))
                .getBytes(StandardCharsets.UTF_8);

        String answer = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM + "\r\nContent-Length: "
                + body.length + "\r\n\r\n", body, 65_536);

        assertThat(answer).startsWith("HTTP/1.1 413 ")
                .contains("<ErrorResponse xmlns=\"" + RdsXml.NAMESPACE + "\">", "<Code>RequestEntityTooLarge</Code>",
                        "<Type>Sender</Type>", "at most 1048576 are taken", "<RequestId>")
                .containsIgnoringCase("x-amzn-RequestId: ");
    }

    @Test
    void post_chunkedBodyPastTheLimit_requestEntityTooLarge413() throws Exception {
        start(new RequestLimits(1024, 1000, 100, 256, 4096));
        byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            chunks.write(("3e8\r\n").getBytes(StandardCharsets.US_ASCII));
            chunks.write(chunk);
            chunks.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunks.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        String answer = exchange("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + FORM
                + "\r\nTransfer-Encoding: chunked\r\n\r\n", chunks.toByteArray(), chunks.size());

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("<Code>RequestEntityTooLarge</Code>",
                "more than 1024");
    }

    @Test
    void get_requestLineOverTheServersLimit_requestUriTooLong414InRdsXml() throws Exception {
        start(RequestLimits.DEFAULTS);

        String answer = exchange("GET /?Action=DescribeDBClusters&Marker=" + "x".repeat(20_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", new byte[0], 0);

        assertThat(answer).startsWith("HTTP/1.1 414 ").contains("<Code>RequestURITooLong</Code>", "<RequestId>")
                .containsIgnoringCase("content-type: text/xml");
    }

    @Test
    void post_signedParameterValueSpanningLines_invalidParameterValueAndNothingStored() throws Exception {
        start(RequestLimits.DEFAULTS);
        backend.records.parameterGroups().create("web", new io.multiaz.model.ParameterGroup("web", "postgres15", "d",
                java.util.Map.of(), FixedBackend.NOW));
        String body = "Action=ModifyDBClusterParameterGroup&Version=2014-10-31&DBClusterParameterGroupName=web"
                + "&Parameters.Parameter.1.ParameterName=log_line_prefix"
                + "&Parameters.Parameter.1.ParameterValue=x%27%0Aarchive_command%20%3D%20%27cp%27%0A%23"
                + "&Parameters.Parameter.1.ApplyMethod=immediate";

        HttpResponse<String> answer = signedPost(body);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("<Code>InvalidParameterValue</Code>", "ParameterValue contains U+000A");
        assertThat(backend.records.parameterGroups().get("web").orElseThrow().parameters()).isEmpty();
    }

    @Test
    void post_signedDescribe_answersWithinTheLimits() throws Exception {
        start(RequestLimits.DEFAULTS);

        HttpResponse<String> answer = signedPost("Action=DescribeDBClusters&Version=2014-10-31&MaxRecords=20");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("<DBClusterIdentifier>demo</DBClusterIdentifier>");
    }

    /** Writes {@code head} and {@code body} on a fresh connection and returns the answer's head and body as text. */
    private String exchange(String head, byte[] body, int bodyBytesToSend) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, Math.min(bodyBytesToSend, body.length));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                if (text.contains("</ErrorResponse>") || text.contains("Response>")) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private HttpResponse<String> signedPost(String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest http = SdkHttpRequest.builder().protocol("http").host("127.0.0.1").port(server.port())
                .encodedPath("/").method(SdkHttpMethod.POST).putHeader("Content-Type", FORM).build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey()))
                .request(http)
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rds")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "local-1")).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        Set<String> restricted = Set.of("host", "content-length");
        signed.headers().forEach((name, values) -> {
            if (!restricted.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
