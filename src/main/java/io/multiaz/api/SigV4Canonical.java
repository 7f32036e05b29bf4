package io.multiaz.api;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * The pure functions of Signature Version 4 for services other than S3: canonical URI, query and
 * headers, the canonical request, the string to sign, the signing key and the signature.
 * Stateless and thread-safe.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html">Create a signed AWS API request</a>
 */
final class SigV4Canonical {
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final HexFormat HEX = HexFormat.of();

    private SigV4Canonical() {
    }

    /**
     * The path with dot segments and empty segments removed (as botocore does; AWS asks for
     * "redundant and relative path components" to go), then URI-encoded a second time: clients
     * encode the already-encoded path, so {@code %20} on the wire is {@code %2520} here.
     */
    static String canonicalUri(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        String normalised = "/" + String.join("/", segments);
        if (rawPath.endsWith("/") && !segments.isEmpty()) {
            normalised += "/";
        }
        return FormCodec.encode(normalised, true);
    }

    /**
     * Parameters encoded one by one and sorted by encoded name, then encoded value; parameters
     * with an empty name are not signed (as the AWS SDK for Java does).
     */
    static String canonicalQuery(List<FormCodec.Param> params) {
        List<String[]> encoded = new ArrayList<>(params.size());
        for (FormCodec.Param param : params) {
            if (!param.name().isEmpty()) {
                encoded.add(new String[] {FormCodec.encode(param.name(), false), FormCodec.encode(param.value(), false)});
            }
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : encoded) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /**
     * {@code name:value\n} for each signed header in the order given; several values of one name
     * are joined with commas, each trimmed with inner runs of whitespace collapsed to one space. A
     * signed header the request lacks contributes an empty value (and so a signature mismatch).
     */
    static String canonicalHeaders(List<String> signedHeaders, Headers headers) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            out.append(name).append(':');
            List<String> values = headers.all(name);
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendTrimmed(out, values.get(i));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
                                   String canonicalHeaders, List<String> signedHeaders, String payloadHash) {
        return method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + canonicalHeaders + '\n'
                + String.join(";", signedHeaders) + '\n' + payloadHash;
    }

    static String stringToSign(String basicTimestamp, String scope, String canonicalRequest) {
        return SigV4Auth.ALGORITHM + '\n' + basicTimestamp + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** Hex HMAC-SHA256 of {@code stringToSign} under the key derived from secret, date, region, service. */
    static String signature(String secret, String scopeDate, String region, String service, String stringToSign) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scopeDate);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, SigV4Auth.TERMINATOR);
        return HEX.formatHex(hmac(key, stringToSign));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, which every Java SE must provide", e);
        }
    }

    /** Compares in time independent of where the two differ, so timing reveals nothing of the expected value. */
    static boolean constantTimeEquals(String expected, String provided) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks HmacSHA256, which every Java SE must provide", e);
        }
    }

    private static void appendTrimmed(StringBuilder out, String value) {
        boolean pendingSpace = false;
        boolean started = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\r' || c == '\f') {
                pendingSpace = started;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
                started = true;
            }
        }
    }
}
