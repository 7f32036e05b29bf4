package io.multiaz.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code name=value&…} strings (query strings and form bodies) decoded into ordered pairs, and
 * the RFC 3986 percent-encoding SigV4 canonicalises with. Decoding is strict: a broken
 * {@code %} escape or bytes that are not UTF-8 are a {@link RdsFault#MALFORMED_QUERY_STRING}.
 */
final class FormCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** One decoded {@code name=value} pair; a pair sent without {@code =} has the value "". */
    record Param(String name, String value) {
    }

    private FormCodec() {
    }

    /** Decodes a form body: strict UTF-8 first, then as {@link #decode(String, String)}. */
    static List<Param> decode(byte[] body, String where) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return decode(text, where);
        } catch (CharacterCodingException e) {
            throw malformed(where, "it is not UTF-8");
        }
    }

    /**
     * Decodes {@code raw}; {@code +} is a space as in HTML forms (AWS clients send {@code %20}
     * and {@code %2B}, so either reading gives them the same result). Empty segments
     * ({@code a=1&&b=2}) are skipped. {@code where} names the source in errors ("query string").
     */
    static List<Param> decode(String raw, String where) {
        List<Param> params = new ArrayList<>();
        if (raw.isEmpty()) {
            return params;
        }
        for (String segment : raw.split("&", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            int eq = segment.indexOf('=');
            String name = eq < 0 ? segment : segment.substring(0, eq);
            String value = eq < 0 ? "" : segment.substring(eq + 1);
            params.add(new Param(decodeComponent(name, where), decodeComponent(value, where)));
        }
        return params;
    }

    /** Percent-decodes one name or value ({@code +} is a space). */
    static String decodeComponent(String text, String where) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        ByteBuffer bytes = ByteBuffer.allocate(text.length() * 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                bytes.put(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (c == '%') {
                if (i + 2 >= text.length() || hexValue(text.charAt(i + 1)) < 0 || hexValue(text.charAt(i + 2)) < 0) {
                    throw malformed(where, "broken percent escape in '" + text + "'");
                }
                bytes.put((byte) (hexValue(text.charAt(i + 1)) << 4 | hexValue(text.charAt(i + 2))));
                i += 2;
            } else if (c == '+') {
                bytes.put((byte) ' ');
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed(where, "'" + text + "' does not decode to UTF-8");
        }
    }

    /**
     * RFC 3986 encoding as SigV4 specifies it: unreserved characters ({@code A-Z a-z 0-9 - _ . ~})
     * stay, every other UTF-8 byte becomes {@code %XX} with upper-case hex; {@code /} is kept
     * only when {@code keepSlash}.
     */
    static String encode(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isUnreserved(c) || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static ApiException malformed(String where, String detail) {
        return new ApiException(RdsFault.MALFORMED_QUERY_STRING,
                "The " + where + " is malformed: " + detail + ". Percent-encode names and values as UTF-8.");
    }
}
