package io.multiaz.api;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS-style access key pair: the id callers name in their signature's credential scope and the
 * secret both sides sign with. {@link #toString()} never shows the secret.
 */
public record AccessKey(String accessKeyId, String secretAccessKey) {
    public AccessKey {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("an access key needs an id and a secret");
        }
    }

    /**
     * The secret when {@code id} is this key's id: a {@link SigV4Verifier.Secrets} for a service
     * with one key ({@code new SigV4Verifier(key::secretFor)}).
     */
    public Optional<String> secretFor(String id) {
        boolean same = MessageDigest.isEqual(accessKeyId.getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.of(secretAccessKey) : Optional.empty();
    }

    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", secret hidden]";
    }
}
