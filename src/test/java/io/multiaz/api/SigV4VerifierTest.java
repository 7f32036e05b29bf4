package io.multiaz.api;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests signed by the AWS SDK for Java v2's own SigV4 signer (and two signed by botocore, the
 * AWS CLI's signer), verified as they are and after tampering.
 */
final class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final AccessKey KEY = new AccessKey("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static final AwsCredentialsIdentity CREDENTIALS =
            AwsCredentialsIdentity.create(KEY.accessKeyId(), KEY.secretAccessKey());
    private static final String FORM = "application/x-www-form-urlencoded; charset=utf-8";
    private static final String BODY = "Action=DescribeDBClusters&Version=2014-10-31"
            + "&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres";

    private final SigV4Verifier verifier = new SigV4Verifier(KEY::secretFor);

    @Test
    void verify_sdkSignedFormPost_returnsCaller() {
        RawRequest request = signedPost(BODY, CREDENTIALS, NOW);

        assertThat(verifier.verify(request, NOW)).isEqualTo(new Caller(KEY.accessKeyId(), "local-1"));
    }

    @Test
    void verify_sdkSignedGetWithEncodedQueryAndPath_passes() {
        SdkHttpRequest http = base(SdkHttpMethod.GET).encodedPath("/a%20b/./c/../d~e")
                .appendRawQueryParameter("Action", "DescribeDBClusters")
                .appendRawQueryParameter("Version", "2014-10-31")
                .appendRawQueryParameter("DBClusterIdentifier", "démo db/1+2=3*~")
                .appendRawQueryParameter("Filters.Filter.1.Values.Value.1", "b")
                .appendRawQueryParameter("Filters.Filter.1.Values.Value.1", "a")
                .build();

        RawRequest request = toRaw(sign(http, null, CREDENTIALS, NOW, false, null), new byte[0]);

        assertThat(verifier.verify(request, NOW).accessKeyId()).isEqualTo(KEY.accessKeyId());
    }

    @Test
    void verify_bodyTampered_signatureDoesNotMatch() {
        RawRequest signed = signedPost(BODY, CREDENTIALS, NOW);
        RawRequest tampered = new RawRequest(signed.method(), signed.rawPath(), signed.rawQuery(), signed.headers(),
                BODY.replace("postgres", "mysql").getBytes(StandardCharsets.UTF_8));

        expectFault(tampered, NOW, RdsFault.SIGNATURE_DOES_NOT_MATCH, 403);
    }

    @Test
    void verify_bodyTamperedWithoutContentSha256Header_signatureDoesNotMatchWithCanonicalRequest() {
        RawRequest signed = withoutHeader(signedPost(BODY, CREDENTIALS, NOW), "x-amz-content-sha256");
        RawRequest tampered = new RawRequest(signed.method(), signed.rawPath(), signed.rawQuery(), signed.headers(),
                (BODY + "&MaxRecords=20").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> verifier.verify(tampered, NOW))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"))
                .hasMessageStartingWith("The request signature we calculated does not match the signature you provided.")
                .hasMessageContaining("The Canonical String for this request should have been\n'POST\n/\n\n")
                .hasMessageContaining("The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20250301T120000Z\n"
                        + "20250301/local-1/rds/aws4_request\n");
    }

    @Test
    void verify_signedHeaderTampered_signatureDoesNotMatch() {
        RawRequest tampered = withHeader(signedPost(BODY, CREDENTIALS, NOW), "Content-Type", "text/plain");

        expectFault(tampered, NOW, RdsFault.SIGNATURE_DOES_NOT_MATCH, 403);
    }

    @Test
    void verify_unsignedHeaderAdded_passes() {
        RawRequest request = withHeader(signedPost(BODY, CREDENTIALS, NOW), "User-Agent", "aws-cli/2.23");

        assertThat(verifier.verify(request, NOW).accessKeyId()).isEqualTo(KEY.accessKeyId());
    }

    @Test
    void verify_dateHeaderMovedWithinSkew_signatureDoesNotMatch() {
        RawRequest tampered = withHeader(signedPost(BODY, CREDENTIALS, NOW), "X-Amz-Date", "20250301T120500Z");

        expectFault(tampered, NOW, RdsFault.SIGNATURE_DOES_NOT_MATCH, 403);
    }

    @ParameterizedTest(name = "signed {0} minutes from now")
    @CsvSource({"-16", "16", "-60", "600"})
    void verify_signedMoreThan15MinutesAway_requestExpired(int minutes) {
        Instant signedAt = NOW.plus(Duration.ofMinutes(minutes));
        RawRequest request = signedPost(BODY, CREDENTIALS, signedAt);

        expectFault(request, NOW, RdsFault.REQUEST_EXPIRED, 400);
    }

    @ParameterizedTest(name = "signed {0} minutes from now")
    @CsvSource({"-15", "-14", "14", "15"})
    void verify_signedWithin15Minutes_passes(int minutes) {
        RawRequest request = signedPost(BODY, CREDENTIALS, NOW.plus(Duration.ofMinutes(minutes)));

        assertThat(verifier.verify(request, NOW).accessKeyId()).isEqualTo(KEY.accessKeyId());
    }

    @Test
    void verify_signedSixteenMinutesAgo_saysWhichClock() {
        RawRequest request = signedPost(BODY, CREDENTIALS, NOW.minus(Duration.ofMinutes(16)));

        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .hasMessageStartingWith("Signature expired: 20250301T114400Z is now earlier than 20250301T114500Z"
                        + " (20250301T120000Z - 15 min.)")
                .hasMessageContaining("clocks");
    }

    @Test
    void verify_unknownAccessKey_invalidClientTokenId() {
        RawRequest request = signedPost(BODY, AwsCredentialsIdentity.create("AKIAUNKNOWNUNKNOWN00", KEY.secretAccessKey()), NOW);

        expectFault(request, NOW, RdsFault.INVALID_CLIENT_TOKEN_ID, 403);
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .hasMessageStartingWith("The security token included in the request is invalid.");
    }

    @Test
    void verify_wrongSecret_signatureDoesNotMatch() {
        RawRequest request = signedPost(BODY, AwsCredentialsIdentity.create(KEY.accessKeyId(), "not-the-secret"), NOW);

        expectFault(request, NOW, RdsFault.SIGNATURE_DOES_NOT_MATCH, 403);
    }

    @Test
    void verify_sessionToken_invalidClientTokenId() {
        RawRequest request = withHeader(signedPost(BODY, CREDENTIALS, NOW), "X-Amz-Security-Token", "token");

        expectFault(request, NOW, RdsFault.INVALID_CLIENT_TOKEN_ID, 403);
    }

    @Test
    void verify_noAuthentication_missingAuthenticationToken() {
        RawRequest request = new RawRequest("POST", "/", "", Headers.builder().add("Host", "127.0.0.1:6506")
                .add("Content-Type", FORM).build(), BODY.getBytes(StandardCharsets.UTF_8));

        expectFault(request, NOW, RdsFault.MISSING_AUTHENTICATION_TOKEN, 403);
        assertThatThrownBy(() -> verifier.verify(request, NOW)).hasMessageStartingWith("Request is missing Authentication Token");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no signature | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds/aws4_request, SignedHeaders=host;x-amz-date"
                + " | Authorization header requires 'Signature' parameter.",
        "four-part scope | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds, SignedHeaders=host;x-amz-date, Signature=00"
                + " | Credential must have exactly 5 slash-delimited elements",
        "other service | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
                + " | Credential should be scoped to correct service: 'rds'.",
        "bad terminator | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds/aws5_request, SignedHeaders=host;x-amz-date, Signature=00"
                + " | Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
        "scope of another day | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250302/local-1/rds/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
                + " | Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20250302' != '20250301'",
        "other algorithm | AWS4-HMAC-SHA512 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
                + " | Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'",
        "host not signed | AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds/aws4_request, SignedHeaders=x-amz-date, Signature=00"
                + " | 'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        "not SigV4 at all | Basic ZGJhZG1pbjpzZWNyZXQ= | Unsupported AWS 'algorithm': 'Basic'",
    })
    void verify_malformedAuthorization_incompleteSignature(String caseName, String authorization, String message) {
        RawRequest request = new RawRequest("POST", "/", "", Headers.builder().add("Host", "127.0.0.1:6506")
                .add("X-Amz-Date", "20250301T120000Z").add("Authorization", authorization).build(), new byte[0]);

        expectFault(request, NOW, RdsFault.INCOMPLETE_SIGNATURE, 400);
        assertThatThrownBy(() -> verifier.verify(request, NOW)).hasMessageContaining(message);
    }

    @Test
    void verify_noDateHeader_incompleteSignature() {
        RawRequest request = withoutHeader(signedPost(BODY, CREDENTIALS, NOW), "X-Amz-Date");

        expectFault(request, NOW, RdsFault.INCOMPLETE_SIGNATURE, 400);
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .hasMessageContaining("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }

    @Test
    void verify_sdkPresignedUrl_passesUntilItExpires() {
        RawRequest request = presigned(Duration.ofMinutes(5), NOW);

        assertThat(verifier.verify(request, NOW).accessKeyId()).isEqualTo(KEY.accessKeyId());
        assertThat(verifier.verify(request, NOW.plus(Duration.ofMinutes(5))).region()).isEqualTo("local-1");
        expectFault(request, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), RdsFault.REQUEST_EXPIRED, 400);
    }

    @Test
    void verify_sdkPresignedUrlAnHourOld_requestExpiredSaysWhen() {
        RawRequest request = presigned(Duration.ofMinutes(5), NOW.minus(Duration.ofHours(1)));

        expectFault(request, NOW, RdsFault.REQUEST_EXPIRED, 400);
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .hasMessageContaining("Request has expired")
                .hasMessageContaining("until 20250301T110500Z");
    }

    @Test
    void verify_sdkPresignedUrlParameterTampered_signatureDoesNotMatch() {
        RawRequest signed = presigned(Duration.ofMinutes(5), NOW);
        RawRequest tampered = new RawRequest(signed.method(), signed.rawPath(),
                signed.rawQuery().replace("DBClusterIdentifier=demo", "DBClusterIdentifier=prod"), signed.headers(), signed.body());

        assertThat(tampered.rawQuery()).isNotEqualTo(signed.rawQuery());
        expectFault(tampered, NOW, RdsFault.SIGNATURE_DOES_NOT_MATCH, 403);
    }

    @Test
    void verify_presignedUrlWithoutSignature_incompleteSignature() {
        RawRequest signed = presigned(Duration.ofMinutes(5), NOW);
        RawRequest stripped = new RawRequest(signed.method(), signed.rawPath(),
                signed.rawQuery().replaceAll("&?X-Amz-Signature=[0-9a-f]+", ""), signed.headers(), signed.body());

        expectFault(stripped, NOW, RdsFault.INCOMPLETE_SIGNATURE, 400);
        assertThatThrownBy(() -> verifier.verify(stripped, NOW))
                .hasMessageContaining("AWS query-string parameters must include 'X-Amz-Signature'.");
    }

    @Test
    void verify_headerAndQuerySignatureTogether_incompleteSignature() {
        RawRequest presigned = presigned(Duration.ofMinutes(5), NOW);
        RawRequest both = withHeader(presigned, "Authorization", signedPost(BODY, CREDENTIALS, NOW).headers()
                .first("Authorization").orElseThrow());

        expectFault(both, NOW, RdsFault.INCOMPLETE_SIGNATURE, 400);
    }

    /** Signed by botocore 2.x (the Debian awscli's signer) for 2025-03-01T12:00:00Z. */
    @Test
    void verify_awsCliSignedPost_passes() {
        RawRequest request = new RawRequest("POST", "/", "", Headers.builder()
                .add("Host", "127.0.0.1:6506")
                .add("Content-Type", FORM)
                .add("User-Agent", "aws-cli/2.x")
                .add("X-Amz-Date", "20250301T120000Z")
                .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250301/local-1/rds/aws4_request,"
                        + " SignedHeaders=content-type;host;x-amz-date,"
                        + " Signature=9b41067ebc14888c588907272a0e073eb1bc269f87fa7bef855b0b6cc299db40")
                .add("Content-Length", "114")
                .build(), BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(verifier.verify(request, NOW)).isEqualTo(new Caller(KEY.accessKeyId(), "local-1"));
    }

    /** Presigned by botocore's SigV4QueryAuth (expires 300 s) for 2025-03-01T12:00:00Z. */
    @Test
    void verify_awsCliPresignedGet_passes() {
        String query = "Action=DescribeDBClusters&Version=2014-10-31&DBClusterIdentifier=demo%20db"
                + "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250301%2Flocal-1%2Frds%2Faws4_request"
                + "&X-Amz-Date=20250301T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=bc9f7768fa4100b5acc62e0de2999c1a556256489c54b8a85906d34ff2113b23";
        RawRequest request = new RawRequest("GET", "/", query, Headers.builder().add("Host", "127.0.0.1:6506").build(), null);

        assertThat(verifier.verify(request, NOW.plusSeconds(299)).accessKeyId()).isEqualTo(KEY.accessKeyId());
        expectFault(request, NOW.plusSeconds(301), RdsFault.REQUEST_EXPIRED, 400);
    }

    private void expectFault(RawRequest request, Instant now, RdsFault fault, int status) {
        assertThatThrownBy(() -> verifier.verify(request, now))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.fault()).isEqualTo(fault);
                    assertThat(e.httpStatus()).isEqualTo(status);
                });
    }

    private static SdkHttpRequest.Builder base(SdkHttpMethod method) {
        return SdkHttpRequest.builder().protocol("http").host("127.0.0.1").port(6506).encodedPath("/").method(method);
    }

    private static RawRequest signedPost(String body, AwsCredentialsIdentity credentials, Instant signedAt) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest http = base(SdkHttpMethod.POST).putHeader("Content-Type", FORM).build();
        return toRaw(sign(http, bytes, credentials, signedAt, false, null), bytes);
    }

    private static RawRequest presigned(Duration expires, Instant signedAt) {
        SdkHttpRequest http = base(SdkHttpMethod.GET)
                .appendRawQueryParameter("Action", "DescribeDBClusters")
                .appendRawQueryParameter("Version", "2014-10-31")
                .appendRawQueryParameter("DBClusterIdentifier", "demo")
                .build();
        return toRaw(sign(http, null, CREDENTIALS, signedAt, true, expires), new byte[0]);
    }

    private static SdkHttpRequest sign(SdkHttpRequest http, byte[] body, AwsCredentialsIdentity credentials,
                                       Instant signedAt, boolean presign, Duration expires) {
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(credentials)
                    .request(http)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rds")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "local-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC));
            if (body != null) {
                r.payload(ContentStreamProvider.fromByteArray(body));
            }
            if (presign) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires);
            }
        }).request();
    }

    private static RawRequest toRaw(SdkHttpRequest signed, byte[] body) {
        String rawQuery = signed.getUri().getRawQuery();
        return new RawRequest(signed.method().name(), signed.encodedPath(), rawQuery, Headers.of(signed.headers()), body);
    }

    private static RawRequest withHeader(RawRequest request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers().asMap());
        headers.put(name.toLowerCase(), new ArrayList<>(List.of(value)));
        return new RawRequest(request.method(), request.rawPath(), request.rawQuery(), Headers.of(headers), request.body());
    }

    private static RawRequest withoutHeader(RawRequest request, String name) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers().asMap());
        headers.remove(name.toLowerCase());
        return new RawRequest(request.method(), request.rawPath(), request.rawQuery(), Headers.of(headers), request.body());
    }
}
