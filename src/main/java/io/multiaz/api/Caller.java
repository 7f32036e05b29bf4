package io.multiaz.api;

import java.util.Objects;

/**
 * Who sent a request whose signature {@link SigV4Verifier} accepted: the access key it was signed
 * with and the region named in its credential scope.
 */
public record Caller(String accessKeyId, String region) {
    public Caller {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(region, "region");
    }
}
