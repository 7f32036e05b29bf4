package io.multiaz.config;

import java.util.Objects;

/**
 * The RDS-compatible API of the deployment: the one access key its callers sign with and the
 * region they name. Written by {@code multiaz up} into the layout (mode 0600, like the passwords)
 * and, as the AWS CLI profile {@code multiaz}, into {@code <state-dir>/aws/}.
 */
public record ApiLayout(String accessKeyId, String secretAccessKey, String region) {
    public static final String DEFAULT_REGION = "local-1";

    public ApiLayout {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    }

    @Override
    public String toString() {
        return "ApiLayout[" + accessKeyId + ", secret hidden, " + region + "]";
    }
}
