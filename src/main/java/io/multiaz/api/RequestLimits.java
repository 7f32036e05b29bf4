package io.multiaz.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The limits every call of the API keeps, checked before its parameters reach a handler, so that
 * input no layer below can take is refused with a clear error and nothing is stored:
 *
 * <ul>
 * <li>the body: at most {@code maxBodyBytes}, checked against {@code Content-Length} before it is
 *     read and while it is read (a chunked body declares none): {@code RequestEntityTooLarge} 413;</li>
 * <li>the {@code name=value} pairs of query string and body together: at most {@code maxParameters},
 *     counted before anything is decoded;</li>
 * <li>each name: 1 to {@code maxNameLength} ASCII letters, digits, {@code .}, {@code _} and
 *     {@code -}, and every list index in it ({@code Tags.Tag.N.Key}) 1 to {@code maxListMembers}
 *     without leading zeros, which also bounds every list;</li>
 * <li>each value: at most {@code maxValueLength} characters (UTF-16 units), and no character the
 *     layers below cannot keep as given ({@link #textProblem}).</li>
 * </ul>
 * Everything but the body answers {@code InvalidParameterValue} 400, naming the parameter.
 * {@code MaxRecords} (20-100) is RDS's own and checked first thing by each action that takes it.
 * Immutable.
 */
public record RequestLimits(long maxBodyBytes, int maxParameters, int maxListMembers, int maxNameLength,
                            int maxValueLength) {
    /**
     * 1 MiB of body (the largest real call, 20 parameters of 4,096 characters percent-encoded, is
     * under 0.8 MiB), 1,000 pairs, lists of 100, names of 256 and values of 4,096 characters.
     */
    public static final RequestLimits DEFAULTS = new RequestLimits(1 << 20, 1000, 100, 256, 4096);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");

    public RequestLimits {
        if (maxBodyBytes < 1 || maxParameters < 1 || maxListMembers < 1 || maxNameLength < 1 || maxValueLength < 1) {
            throw new IllegalArgumentException("request limits must be positive: " + maxBodyBytes + ", "
                    + maxParameters + ", " + maxListMembers + ", " + maxNameLength + ", " + maxValueLength);
        }
    }

    /**
     * The body of {@code in}, read only as far as the limit allows; {@code declaredLength} is the
     * {@code Content-Length} ({@code -1} when none was sent). Throws {@code RequestEntityTooLarge}
     * before reading when the declared length is over the limit, and after reading one byte past it
     * otherwise; the rest of the body is left unread.
     */
    public byte[] readBody(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > maxBodyBytes) {
            throw tooLarge(Long.toString(declaredLength));
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            throw tooLarge("more than " + maxBodyBytes);
        }
        return body;
    }

    /**
     * Refuses {@code rawQuery} and {@code body} together holding more than {@code maxParameters}
     * pairs, counted on the raw text ({@code &} is never part of a UTF-8 sequence).
     */
    void checkCount(String rawQuery, byte[] body) {
        int count = pairs(rawQuery) + pairs(new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (count > maxParameters) {
            throw invalid("The request has " + count + " parameters; at most " + maxParameters + " are taken."
                    + " Send fewer (lists take at most " + maxListMembers + " members).");
        }
    }

    /** Refuses a parameter whose name or value breaks the limits above. */
    void checkParameter(String name, String value) {
        if (name.length() > maxNameLength || !NAME.matcher(name).matches()) {
            throw invalid("The parameter name '" + shortened(name) + "' is not valid: names are 1-" + maxNameLength
                    + " ASCII letters, digits, '.', '_' and '-', as the service model spells its members.");
        }
        for (String segment : name.split("\\.")) {
            Matcher m = NUMBER.matcher(segment);
            if (m.matches() && (segment.length() > 9 || segment.startsWith("0")
                    || Integer.parseInt(segment) > maxListMembers)) {
                throw invalid("The parameter " + name + " has the list index " + segment + "; lists take members 1 to "
                        + maxListMembers + ", numbered without leading zeros.");
            }
        }
        if (value.length() > maxValueLength) {
            throw invalid("The value of parameter " + name + " has " + value.length() + " characters; at most "
                    + maxValueLength + " are taken.");
        }
        textProblem(value).ifPresent(problem -> {
            throw invalid("The value of parameter " + name + " " + problem + "; send printable text only.");
        });
    }

    /**
     * Why {@code value} cannot be kept as given, or empty when it can: it holds a control character
     * (U+0000-U+001F, among them NUL, tab and the line breaks, or U+007F-U+009F), a noncharacter
     * XML cannot carry (U+FFFE, U+FFFF) or half of a surrogate pair. Values are stored as JSON,
     * written one per line into {@code postgresql.conf} and shown back in XML, which holds none of
     * these as given. Says which character and where, e.g. "contains U+000A (a line break) at
     * position 3".
     */
    public static Optional<String> textProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairedSurrogate) {
                i++;
                continue;
            }
            if (Character.isISOControl(c) || c == '\uFFFE' || c == '\uFFFF' || Character.isSurrogate(c)) {
                return Optional.of("contains " + String.format("U+%04X", (int) c) + (c == '\n' || c == '\r'
                        ? " (a line break)" : c == 0 ? " (NUL)" : "") + " at position " + (i + 1));
            }
        }
        return Optional.empty();
    }

    private ApiException tooLarge(String length) {
        return new ApiException(RdsFault.REQUEST_ENTITY_TOO_LARGE, "The request body has " + length + " bytes; at"
                + " most " + maxBodyBytes + " are taken. Send fewer or shorter parameters.");
    }

    private static int pairs(String raw) {
        int count = 0;
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            end = end < 0 ? raw.length() : end;
            count += end > start ? 1 : 0;
            start = end + 1;
        }
        return count;
    }

    private static String shortened(String text) {
        String safe = text.codePoints().limit(64).collect(StringBuilder::new,
                (sb, cp) -> sb.appendCodePoint(Character.isISOControl(cp) ? '?' : cp), StringBuilder::append).toString();
        return text.length() > safe.length() ? safe + "…" : safe;
    }

    private static ApiException invalid(String message) {
        return new ApiException(RdsFault.INVALID_PARAMETER_VALUE, message);
    }
}
