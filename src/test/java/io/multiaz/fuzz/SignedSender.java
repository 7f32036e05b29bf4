package io.multiaz.fuzz;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends {@link FuzzRequest}s signed with the AWS SDK for Java v2's own SigV4 signer (the signature
 * is valid, so every request reaches the service's handlers): a form POST as the AWS CLI sends it,
 * or a GET with the parameters in its header-signed query string. One HTTP/1.1 client, reused.
 * Not thread-safe.
 */
public final class SignedSender implements AutoCloseable {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

    private final URI endpoint;
    private final String signingName;
    private final String region;
    private final AwsCredentialsIdentity credentials;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public SignedSender(URI endpoint, String signingName, String region, AwsCredentialsIdentity credentials) {
        this.endpoint = endpoint;
        this.signingName = signingName;
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * What the service answered: the status and body; status -1 and the failure when there was no
     * answer, 0 when the client itself would not send the request (the fuzzer skips it).
     */
    public record Answer(int status, String body, String failure) {
        /** The {@code <Code>} of an error document, if there is one. */
        public Optional<String> code() {
            Matcher m = CODE.matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    /** Sends {@code request} and waits for the answer (at most 60 s). */
    public Answer send(FuzzRequest request) throws InterruptedException {
        try {
            HttpRequest http = request.viaGet() ? get(request) : post(request);
            HttpResponse<String> response = client.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Answer(-1, "", e.toString());
        } catch (IllegalArgumentException e) {
            return new Answer(0, "", "not sendable: " + e.getMessage());
        }
    }

    private HttpRequest post(FuzzRequest request) {
        byte[] body = request.form().getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest unsigned = base(SdkHttpMethod.POST)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        return copyHeaders(signed, HttpRequest.newBuilder(endpoint.resolve("/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest get(FuzzRequest request) {
        SdkHttpRequest.Builder unsigned = base(SdkHttpMethod.GET)
                .appendRawQueryParameter("Action", request.action())
                .appendRawQueryParameter("Version", request.version());
        request.params().forEach(p -> unsigned.appendRawQueryParameter(p.name(), p.value()));
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(unsigned.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        return copyHeaders(signed, HttpRequest.newBuilder(signed.getUri()).GET());
    }

    private SdkHttpRequest.Builder base(SdkHttpMethod method) {
        return SdkHttpRequest.builder().protocol(endpoint.getScheme()).host(endpoint.getHost()).port(endpoint.getPort())
                .encodedPath("/").method(method);
    }

    private static HttpRequest copyHeaders(SdkHttpRequest signed, HttpRequest.Builder builder) {
        signed.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.timeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
