package io.multiaz.config;

import java.time.Duration;

/**
 * Where the deployment keeps its backups and how fresh its archive is ({@code backups} in
 * multiaz.yaml): one pgBackRest repository for every cluster (a stanza each).
 *
 * @param repository     the repository's directory; null (the default) is {@code <state-dir>/backups/repo}.
 *                       Another path (a mounted disk, NFS) keeps backups apart from the servers' disks
 * @param archiveTimeout PostgreSQL's {@code archive_timeout}: the longest a written WAL segment waits
 *                       before it is switched and archived, so {@code LatestRestorableTime} trails
 *                       now by about this much under writes; 1 s – 1 h, default 10 s
 * @param s3             an S3-compatible object store instead of the directory; null for none
 */
public record BackupLayout(String repository, Duration archiveTimeout, S3 s3) {
    public static final Duration DEFAULT_ARCHIVE_TIMEOUT = Duration.ofSeconds(10);

    public BackupLayout {
        archiveTimeout = archiveTimeout == null ? DEFAULT_ARCHIVE_TIMEOUT : archiveTimeout;
        if (archiveTimeout.compareTo(Duration.ofSeconds(1)) < 0 || archiveTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("backups.archiveTimeout must be 1s to 1h, got " + archiveTimeout
                    + "; fix it in multiaz.yaml");
        }
        if (repository != null && !repository.startsWith("/")) {
            throw new IllegalArgumentException("backups.repository must be an absolute path, got " + repository
                    + "; fix it in multiaz.yaml");
        }
    }

    /** The defaults: the repository in the state dir, a 10 s archive timeout, no object store. */
    public static BackupLayout defaults() {
        return new BackupLayout(null, null, null);
    }

    /**
     * An S3-compatible object store as pgBackRest's repository ({@code repo1-type=s3}).
     *
     * @param bucket     the bucket
     * @param endpoint   the service's host ({@code s3.eu-west-1.amazonaws.com}, a MinIO host)
     * @param region     the bucket's region
     * @param path       the repository's prefix in the bucket; one per deployment
     * @param keyFile    a file (0600) holding the access key id and the secret key on two lines; keys
     *                   never go into multiaz.yaml
     * @param uriStyle   {@code host} or {@code path} (MinIO); null for host
     * @param verifyTls  whether the server's certificate is checked (default true)
     */
    public record S3(String bucket, String endpoint, String region, String path, String keyFile, String uriStyle,
                     Boolean verifyTls) {
        public S3 {
            for (String[] required : new String[][] {{"bucket", bucket}, {"endpoint", endpoint},
                    {"region", region}, {"keyFile", keyFile}}) {
                if (required[1] == null || required[1].isBlank()) {
                    throw new IllegalArgumentException("backups.s3." + required[0] + " is required; set it in"
                            + " multiaz.yaml or remove backups.s3 to keep the repository on disk");
                }
            }
            path = path == null ? "/multiaz" : path;
            uriStyle = uriStyle == null ? "host" : uriStyle;
            if (!uriStyle.equals("host") && !uriStyle.equals("path")) {
                throw new IllegalArgumentException("backups.s3.uriStyle must be host or path, got " + uriStyle);
            }
            verifyTls = verifyTls == null ? Boolean.TRUE : verifyTls;
        }
    }
}
