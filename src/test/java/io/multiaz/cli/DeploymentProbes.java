package io.multiaz.cli;

import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;

/**
 * What {@link RdsLifecycleIT} looks at from outside its deployment: the writer a DB cluster reports, a
 * connection as the master user {@code dbadmin}, the host's nftables tables, and the files that
 * hold a secret in clear text.
 */
final class DeploymentProbes {
    private DeploymentProbes() {
    }

    /** The writer instance among {@code c}'s members, or null while it has none. */
    static String writer(DBCluster c) {
        return c.dbClusterMembers().stream().filter(DBClusterMember::isClusterWriter)
                .map(DBClusterMember::dbInstanceIdentifier).findFirst().orElse(null);
    }

    /** A connection to {@code database} at {@code host:port} as the master user {@code dbadmin}. */
    static Connection connect(String host, int port, String database, String password) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "dbadmin");
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    /** The lines of {@code nft list tables}; none when nft cannot be run. */
    static List<String> nftTables() {
        try {
            Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().toList();
        } catch (IOException | InterruptedException e) {
            return List.of();
        }
    }

    /** The regular files under {@code root}, but those under {@code skip}, whose bytes hold {@code secret}. */
    static List<Path> filesContaining(Path root, Path skip, String secret) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                return dir.equals(skip) ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attrs) {
                try {
                    if (attrs.isRegularFile() && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
                            .contains(secret)) {
                        found.add(file);
                    }
                } catch (IOException e) {
                    // removed meanwhile (a recycled WAL segment, a rotated temporary file): nothing to scan
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return found;
    }
}
