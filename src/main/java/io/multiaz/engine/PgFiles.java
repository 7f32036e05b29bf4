package io.multiaz.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * File-system work in the instance directory. The agent may run as root while the server runs as
 * {@code runAs}; everything created here is handed to that user (owner, its primary group, private
 * mode) because PostgreSQL refuses a data directory it does not own and must read its config files.
 *
 * <p>Thread safety: immutable after construction; methods touch only the paths they are given.
 */
final class PgFiles {
    private static final Logger log = LoggerFactory.getLogger(PgFiles.class);

    private final UserPrincipal owner;
    private final GroupPrincipal group;

    private PgFiles(UserPrincipal owner, GroupPrincipal group) {
        this.owner = owner;
        this.group = group;
    }

    /**
     * Files owned by {@code runAs} and its primary group, or left to ourselves when it is null.
     *
     * @throws EngineException when the user does not exist
     */
    static PgFiles forUser(String runAs, PgCommand asUs) {
        if (runAs == null) {
            return new PgFiles(null, null);
        }
        String next = "create the OS user (apt-get install postgresql-common creates 'postgres') or set runAs to an existing user";
        PgCommand.Result id = asUs.run(PgCommand.Invocation.of("looking up the primary group of OS user " + runAs,
                Duration.ofSeconds(10), next, List.of("id", "-gn", runAs)));
        try {
            UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            return new PgFiles(users.lookupPrincipalByName(runAs),
                    users.lookupPrincipalByGroupName(id.tail().getLast()));
        } catch (IOException | RuntimeException e) {
            throw new EngineException("OS user " + runAs + " or its group could not be resolved: " + e + "; " + next, e);
        }
    }

    /** Creates {@code dir} (and missing parents) if needed, then gives it to the server's user with mode 0700. */
    void ensurePrivateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            handOver(dir);
        } catch (IOException e) {
            throw new EngineException("could not create " + dir + ": " + e + "; check that the agent may write "
                    + "its parent directory and that the server's OS user can traverse it", e);
        }
    }

    /**
     * Replaces {@code file} with {@code content} atomically (temp file, fsync, rename) with mode 0600,
     * owned by the server's user: a reader sees the old or the new file, never a torn one.
     */
    void writeAtomically(Path file, String content) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".multiaz-tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            handOver(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDir(file.getParent());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new EngineException("could not write " + file + ": " + e + "; check free space and permissions of "
                    + file.getParent(), e);
        }
    }

    /** Creates an empty marker file (e.g. standby.signal) owned by the server's user, if missing. */
    void touch(Path file) {
        if (!Files.exists(file)) {
            writeAtomically(file, "");
        }
    }

    /** Gives {@code path} to the server's user and its group; no-op when running as ourselves. */
    void handOver(Path path) throws IOException {
        if (owner == null) {
            return;
        }
        Files.setOwner(path, owner);
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
    }

    /** True when {@code dir} does not exist or is an empty directory. */
    static boolean isMissingOrEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new EngineException("could not list " + dir + ": " + e + "; check its permissions", e);
        }
    }

    /** Deletes {@code path} and everything below it; no-op when missing. */
    static void deleteTree(Path path) {
        Directories.delete(path);
    }

    /** Renames {@code from} to {@code to} in one step (same file system). */
    static void renameIntoPlace(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            syncDir(to.getParent());
        } catch (IOException e) {
            throw new EngineException("could not rename " + from + " to " + to + ": " + e
                    + "; remove " + to + " if it is an empty leftover and retry", e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not remove {} ({}); remove it by hand, it is no longer used", file, e.toString());
        }
    }

    private static void syncDir(Path dir) {
        // Makes the rename itself durable; some file systems refuse to fsync a directory, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            log.debug("fsync of directory {} not possible ({}); relying on the file system's own ordering", dir, e.toString());
        }
    }
}
