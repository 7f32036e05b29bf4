package io.multiaz.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the AWS Signature Version 4 of an API request, in the {@code Authorization} header
 * form and in the presigned query-string form, as AWS does for services other than S3. Returns
 * the {@link Caller} or throws an {@link ApiException}:
 * <ul>
 *   <li>{@code MissingAuthenticationToken} 403: no signature at all;</li>
 *   <li>{@code IncompleteSignature} 400: a malformed signature or credential scope (wrong service,
 *       terminator or date), both forms at once, or {@code host} not signed;</li>
 *   <li>{@code RequestExpired} 400: the request time is more than 15 minutes away from
 *       {@code now} in either direction, or a presigned request is past its {@code X-Amz-Expires};</li>
 *   <li>{@code InvalidClientTokenId} 403: an access key {@link Secrets} does not know, or a
 *       session token (multiaz issues none);</li>
 *   <li>{@code SignatureDoesNotMatch} 403: any other difference; the message carries the
 *       canonical request and string to sign computed here, as AWS's does, to compare with the
 *       client's.</li>
 * </ul>
 * The payload hash is that of the body; an {@code X-Amz-Content-Sha256} header must equal it, or
 * be {@code UNSIGNED-PAYLOAD} on a request without a body (which is also accepted as the hash
 * of an empty body, as the AWS SDK for Java presigns that way). Any region is accepted: the
 * signature binds the region named in its scope, and the caller gets it. Thread-safe; the current
 * time is passed in.
 */
public final class SigV4Verifier {
    /** The signing name of RDS, the only service this endpoint speaks. */
    public static final String SERVICE = "rds";
    /** How far the request time may be from the server's, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Set<String> QUERY_AUTH_PARAMS = Set.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires");
    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    /** The secret access key of each access key id this service knows. Must be thread-safe. */
    @FunctionalInterface
    public interface Secrets {
        Optional<String> secretFor(String accessKeyId);
    }

    private final Secrets secrets;

    public SigV4Verifier(Secrets secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** Returns who signed {@code request}, or throws an {@link ApiException} saying why it is refused. */
    public Caller verify(RawRequest request, Instant now) {
        List<FormCodec.Param> query = FormCodec.decode(request.rawQuery(), "query string");
        Map<String, String> authParams = authParams(query);
        Optional<String> authorization = request.headers().first("Authorization");
        if (authorization.isPresent() && !authParams.isEmpty()) {
            throw new ApiException(RdsFault.INCOMPLETE_SIGNATURE, "Only one auth mechanism allowed; only the"
                    + " X-Amz-Algorithm query parameter or the Authorization header should be specified.");
        }
        if (authorization.isEmpty() && authParams.isEmpty()) {
            throw new ApiException(RdsFault.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token."
                    + " Sign it with Signature Version 4, e.g. aws --profile multiaz --endpoint-url <api url> rds …");
        }
        SigV4Auth auth = authorization.isPresent()
                ? SigV4Auth.fromHeader(authorization.get(), request.headers(), SERVICE)
                : SigV4Auth.fromQuery(authParams, SERVICE);
        checkTime(auth, now);
        if (request.headers().contains("X-Amz-Security-Token") || hasParam(query, "X-Amz-Security-Token")) {
            throw new ApiException(RdsFault.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN
                    + " multiaz issues no session tokens: sign with the access key of the multiaz profile alone.");
        }
        String secret = secrets.secretFor(auth.accessKeyId()).orElseThrow(() -> new ApiException(
                RdsFault.INVALID_CLIENT_TOKEN_ID, INVALID_TOKEN + " The access key " + auth.accessKeyId()
                + " is not one of this multiaz's; use the multiaz profile of <state-dir>/aws/credentials."));
        checkSignature(request, query, auth, secret);
        return new Caller(auth.accessKeyId(), auth.region());
    }

    private static void checkTime(SigV4Auth auth, Instant now) {
        Instant signed = auth.timestamp();
        String nowText = SigV4Auth.BASIC_TIME.format(now);
        if (signed.isAfter(now.plus(MAX_SKEW))) {
            throw new ApiException(RdsFault.REQUEST_EXPIRED, "Signature not yet current: " + auth.basicTimestamp()
                    + " is still later than " + SigV4Auth.BASIC_TIME.format(now.plus(MAX_SKEW)) + " (" + nowText
                    + " + 15 min.) Check the clocks of the client and of this machine.");
        }
        if (auth.presigned() && auth.expires().isPresent()) {
            Instant expiry = signed.plus(auth.expires().get());
            if (now.isAfter(expiry)) {
                throw new ApiException(RdsFault.REQUEST_EXPIRED, "Request has expired: it was presigned at "
                        + auth.basicTimestamp() + " for " + auth.expires().get().toSeconds() + " seconds, until "
                        + SigV4Auth.BASIC_TIME.format(expiry) + ", and it is now " + nowText + ". Presign it again.");
            }
        } else if (signed.isBefore(now.minus(MAX_SKEW))) {
            throw new ApiException(RdsFault.REQUEST_EXPIRED, "Signature expired: " + auth.basicTimestamp()
                    + " is now earlier than " + SigV4Auth.BASIC_TIME.format(now.minus(MAX_SKEW)) + " (" + nowText
                    + " - 15 min.) Check the clocks of the client and of this machine, then send it again.");
        }
    }

    private static void checkSignature(RawRequest request, List<FormCodec.Param> query, SigV4Auth auth, String secret) {
        String canonicalUri = SigV4Canonical.canonicalUri(request.rawPath());
        List<FormCodec.Param> signedQuery = auth.presigned()
                ? query.stream().filter(p -> !p.name().equals("X-Amz-Signature")).toList()
                : query;
        String canonicalQuery = SigV4Canonical.canonicalQuery(signedQuery);
        String canonicalHeaders = SigV4Canonical.canonicalHeaders(auth.signedHeaders(), request.headers());
        String firstCanonical = null;
        String firstStringToSign = null;
        for (String payloadHash : payloadHashes(request)) {
            String canonical = SigV4Canonical.canonicalRequest(request.method(), canonicalUri, canonicalQuery,
                    canonicalHeaders, auth.signedHeaders(), payloadHash);
            String stringToSign = SigV4Canonical.stringToSign(auth.basicTimestamp(), auth.scope(), canonical);
            String expected = SigV4Canonical.signature(secret, auth.scopeDate(), auth.region(), auth.service(), stringToSign);
            if (SigV4Canonical.constantTimeEquals(expected, auth.signature())) {
                return;
            }
            if (firstCanonical == null) {
                firstCanonical = canonical;
                firstStringToSign = stringToSign;
            }
        }
        throw new ApiException(RdsFault.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not"
                + " match the signature you provided. Check your AWS Secret Access Key and signing method. Consult"
                + " the service documentation for details.\n\nThe Canonical String for this request should have"
                + " been\n'" + firstCanonical + "'\n\nThe String-to-Sign should have been\n'" + firstStringToSign + "'\n");
    }

    /** The payload hashes a valid signature may have used, the likeliest first. */
    private static List<String> payloadHashes(RawRequest request) {
        String bodyHash = SigV4Canonical.sha256Hex(request.body());
        boolean empty = request.body().length == 0;
        Optional<String> declared = request.headers().first("X-Amz-Content-Sha256").map(String::strip);
        if (declared.isPresent()) {
            String value = declared.get();
            if (value.equalsIgnoreCase(bodyHash) || (empty && value.equals(SigV4Canonical.UNSIGNED_PAYLOAD))) {
                return List.of(value);
            }
            throw new ApiException(RdsFault.SIGNATURE_DOES_NOT_MATCH, value.equals(SigV4Canonical.UNSIGNED_PAYLOAD)
                    ? "UNSIGNED-PAYLOAD is not accepted for a request with a body: sign the payload."
                    : "The provided 'x-amz-content-sha256' header does not match what was computed: the body"
                    + " changed after it was signed, or the header is wrong.");
        }
        List<String> hashes = new ArrayList<>(2);
        hashes.add(bodyHash);
        if (empty) {
            hashes.add(SigV4Canonical.UNSIGNED_PAYLOAD);
        }
        return hashes;
    }

    /** The X-Amz-* authentication parameters of the query; a repeated one is malformed. */
    private static Map<String, String> authParams(List<FormCodec.Param> query) {
        Map<String, String> params = new HashMap<>();
        for (FormCodec.Param param : query) {
            if (QUERY_AUTH_PARAMS.contains(param.name()) && params.put(param.name(), param.value()) != null) {
                throw new ApiException(RdsFault.INCOMPLETE_SIGNATURE, "The query-string parameter " + param.name()
                        + " is given more than once. Re-examine the query-string parameters.");
            }
        }
        return params;
    }

    private static boolean hasParam(List<FormCodec.Param> query, String name) {
        return query.stream().anyMatch(p -> p.name().equals(name));
    }
}
