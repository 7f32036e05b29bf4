package io.multiaz.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The credential of the agents' operator routes (switchover, failover, pause, resume, restart):
 * 32 random bytes, base64url. Written by {@code multiaz up} into the layout (mode 0600, beside the
 * passwords), read by the agents and the CLI, sent as {@code Authorization: Bearer <token>}. Its
 * {@link #toString()} hides it, so it never reaches a log line by accident.
 *
 * @param value the token as it travels in the header
 */
public record OperatorToken(@JsonValue String value) {
    /** The header the token travels in, and its scheme. */
    public static final String HEADER = "Authorization";
    private static final String SCHEME = "Bearer ";
    private static final int BYTES = 32;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public OperatorToken {
        if (value == null || value.length() < 32) {
            throw new IllegalArgumentException("an operator token has at least 32 characters; remove operatorToken"
                    + " from multiaz.yaml and run 'multiaz up' to create a new one");
        }
    }

    /** A new token of 32 bytes from {@code random}. */
    public static OperatorToken generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return new OperatorToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The value of the {@value #HEADER} header that presents this token. */
    public String bearer() {
        return SCHEME + value;
    }

    /**
     * Whether the {@value #HEADER} header value {@code header} (null when absent) presents this
     * token; compared in constant time, so the answer's timing tells nothing of the token.
     */
    public boolean presentedIn(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] presented = header.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "OperatorToken[hidden]";
    }
}
