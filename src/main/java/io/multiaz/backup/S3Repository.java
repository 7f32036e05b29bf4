package io.multiaz.backup;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An S3-compatible object store holding the repository instead of a local directory.
 *
 * @param bucket          the bucket
 * @param endpoint        the service's host name, without scheme or port ({@code s3.eu-west-1.amazonaws.com},
 *                        {@code minio.internal})
 * @param port            its HTTPS port (443 for AWS)
 * @param region          the region the requests are signed for ({@code us-east-1} for most S3-compatible stores)
 * @param prefix          the repository's path inside the bucket, starting with {@code /} ({@code /multiaz})
 * @param credentialsFile a file with the access key, in the AWS credentials file's shape: lines
 *                        {@code aws_access_key_id = …} and {@code aws_secret_access_key = …}; read when
 *                        the configuration is written, never printed
 * @param pathStyle       whether the bucket goes in the path ({@code https://host/bucket}, most
 *                        self-hosted stores) rather than the host name ({@code https://bucket.host}, AWS)
 * @param verifyTls       whether the server's certificate is checked (turn off only for a test store)
 * @param caFile          a CA bundle for a store with a private certificate authority
 */
public record S3Repository(String bucket, String endpoint, int port, String region, String prefix,
                           Path credentialsFile, boolean pathStyle, boolean verifyTls, Optional<Path> caFile) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]+");
    private static final Pattern PREFIX = Pattern.compile("/[A-Za-z0-9._/-]*");

    public S3Repository {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name (3-63 of a-z, 0-9, '.', '-'): " + bucket);
        }
        if (endpoint == null || !HOST.matcher(endpoint).matches()) {
            throw new IllegalArgumentException("the S3 endpoint must be a host name without scheme or port, got "
                    + endpoint);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port for the S3 endpoint: " + port);
        }
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("not an S3 region: " + region);
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("the repository's path in the bucket must start with '/' and hold"
                    + " only letters, digits, '.', '_', '-' and '/', got " + prefix);
        }
        Objects.requireNonNull(credentialsFile, "credentialsFile");
        Objects.requireNonNull(caFile, "caFile");
    }

    /** A bucket on AWS S3 itself: host-style addressing, TLS checked, port 443. */
    public static S3Repository aws(String bucket, String region, String prefix, Path credentialsFile) {
        return new S3Repository(bucket, "s3." + region + ".amazonaws.com", 443, region, prefix, credentialsFile,
                false, true, Optional.empty());
    }
}
