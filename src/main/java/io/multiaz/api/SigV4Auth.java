package io.multiaz.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The signature a request carries, parsed from its {@code Authorization} header or from its
 * {@code X-Amz-*} query parameters, with the structural checks AWS makes before it computes
 * anything: every part present, algorithm {@code AWS4-HMAC-SHA256}, a five-part credential scope
 * ending in {@code aws4_request} for the expected service and dated the day of the request, and
 * {@code host} among the signed headers. Any failure is an {@link RdsFault#INCOMPLETE_SIGNATURE}
 * carrying AWS's message.
 *
 * @param presigned     true for the query-string form
 * @param accessKeyId   the key id of the credential scope
 * @param scopeDate     {@code yyyymmdd} of the credential scope
 * @param region        the region of the credential scope
 * @param service       the service of the credential scope
 * @param signedHeaders lower-case header names, in the order the client listed them
 * @param signature     the hex signature the client sent
 * @param timestamp     the request time ({@code X-Amz-Date}, or {@code Date} for the header form)
 * @param expires       {@code X-Amz-Expires} of the query-string form, when given
 */
record SigV4Auth(boolean presigned, String accessKeyId, String scopeDate, String region, String service,
                 List<String> signedHeaders, String signature, Instant timestamp, Optional<Duration> expires) {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";
    static final Duration MAX_EXPIRES = Duration.ofDays(7);

    static final DateTimeFormatter BASIC_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** The timestamp as it enters the string to sign. */
    String basicTimestamp() {
        return BASIC_TIME.format(timestamp);
    }

    /** {@code yyyymmdd/region/service/aws4_request}. */
    String scope() {
        return scopeDate + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    /** Parses {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}. */
    static SigV4Auth fromHeader(String authorization, Headers headers, String service) {
        String trimmed = authorization.strip();
        int space = trimmed.indexOf(' ');
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'. Sign requests with Signature"
                    + " Version 4 (" + ALGORITHM + "), as the AWS CLI and SDKs do.");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : (space < 0 ? "" : trimmed.substring(space + 1)).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.putIfAbsent(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        Optional<String> xAmzDate = headers.first("X-Amz-Date");
        Optional<String> date = headers.first("Date");
        List<String> missing = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (parts.getOrDefault(required, "").isEmpty()) {
                missing.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        if (xAmzDate.isEmpty() && date.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            throw incomplete(String.join(" ", missing) + " Authorization=" + authorization);
        }
        Instant timestamp = xAmzDate.isPresent() ? parseBasic(xAmzDate.get()) : parseHttpDate(date.get());
        return build(false, parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"),
                timestamp, Optional.empty(), service);
    }

    /** Parses the {@code X-Amz-*} parameters of a presigned request ({@code query} is decoded). */
    static SigV4Auth fromQuery(Map<String, String> query, String service) {
        List<String> missing = new ArrayList<>();
        for (String required : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                "X-Amz-SignedHeaders", "X-Amz-Date")) {
            if (query.getOrDefault(required, "").isEmpty()) {
                missing.add("AWS query-string parameters must include '" + required + "'.");
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete(String.join(" ", missing) + " Re-examine the query-string parameters.");
        }
        String algorithm = query.get("X-Amz-Algorithm");
        if (!ALGORITHM.equals(algorithm)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'. Presign URLs with " + ALGORITHM + ".");
        }
        Optional<Duration> expires = Optional.ofNullable(query.get("X-Amz-Expires")).map(SigV4Auth::parseExpires);
        return build(true, query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"),
                query.get("X-Amz-Signature"), parseBasic(query.get("X-Amz-Date")), expires, service);
    }

    private static SigV4Auth build(boolean presigned, String credential, String signedHeaders, String signature,
                                   Instant timestamp, Optional<Duration> expires, String service) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g."
                    + " keyid/date/region/service/term, got '" + credential + "'");
        }
        if (!TERMINATOR.equals(scope[4])) {
            throw incomplete("Credential should be scoped with a valid terminator: '" + TERMINATOR
                    + "', not '" + scope[4] + "'.");
        }
        if (!service.equals(scope[3])) {
            throw incomplete("Credential should be scoped to correct service: '" + service + "'. (got '"
                    + scope[3] + "'; sign for service " + service + ")");
        }
        if (scope[2].isEmpty()) {
            throw incomplete("Credential should be scoped to a valid region, not ''.");
        }
        String requestDay = BASIC_DATE.format(LocalDate.ofInstant(timestamp, ZoneOffset.UTC));
        if (!requestDay.equals(scope[1])) {
            throw incomplete("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
                    + " HTTP: '" + scope[1] + "' != '" + requestDay + "', from '" + BASIC_TIME.format(timestamp) + "'.");
        }
        List<String> headers = List.of(signedHeaders.split(";", -1));
        if (!headers.contains("host")) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return new SigV4Auth(presigned, scope[0], scope[1], scope[2], scope[3], headers, signature, timestamp, expires);
    }

    private static Instant parseBasic(String text) {
        try {
            return ZonedDateTime.parse(text, BASIC_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + text + "'."
                    + " See http://en.wikipedia.org/wiki/ISO_8601 (for example 20240131T235959Z).");
        }
    }

    private static Instant parseHttpDate(String text) {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw incomplete("The Date header must be an RFC 1123 date, got '" + text
                    + "'. Send X-Amz-Date in ISO-8601 basic format (for example 20240131T235959Z) instead.");
        }
    }

    private static Duration parseExpires(String text) {
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number of seconds, got '" + text + "'.");
        }
        if (seconds < 0) {
            throw incomplete("X-Amz-Expires must be non-negative, got " + seconds + ".");
        }
        if (seconds > MAX_EXPIRES.toSeconds()) {
            throw incomplete("X-Amz-Expires must be less than a week (in seconds) that is "
                    + MAX_EXPIRES.toSeconds() + ", got " + seconds + ".");
        }
        return Duration.ofSeconds(seconds);
    }

    private static ApiException incomplete(String message) {
        return new ApiException(RdsFault.INCOMPLETE_SIGNATURE, message);
    }
}
