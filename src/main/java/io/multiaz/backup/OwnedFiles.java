package io.multiaz.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Files and directories created for the server's OS user: owned by it (when we are someone else,
 * i.e. root), with the mode asked for from their first byte, and files replaced atomically so a
 * reader sees the old or the new content, never half of one.
 *
 * <p>Thread safety: immutable; any number of threads or processes may write one path at once
 * (every write goes through a temporary file of its own); the last rename wins.
 */
final class OwnedFiles {
    static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwxr-x---");

    private final String owner;

    /** @param owner OS user to own what is created, or null for ourselves */
    OwnedFiles(String owner) {
        this.owner = owner == null || owner.equals(System.getProperty("user.name")) ? null : owner;
    }

    /** Creates {@code dir} and its missing parents; those created, and {@code dir} itself, get the owner and mode 0750. */
    void directory(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            directory(parent);
        }
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        }
        Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        chown(dir);
    }

    /** Replaces {@code file} with {@code text}, mode 0600, owned by the owner. */
    void writePrivate(Path file, String text) throws IOException {
        Path tmp = privateCopy(file, text);
        try {
            chown(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates {@code file} with {@code text}, mode 0600, owned by the owner, unless it exists: of
     * several agents creating it at once, exactly one succeeds (a hard link fails on an existing
     * name) and the file never holds part of a text.
     *
     * @return whether this call created it
     */
    boolean createPrivate(Path file, String text) throws IOException {
        Path tmp = privateCopy(file, text);
        try {
            chown(tmp);
            Files.createLink(file, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces {@code file} with {@code text}, keeping its owner, group and mode (a file of the
     * server's data directory stays the server's).
     */
    static void rewriteKeepingOwner(Path file, String text) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Path tmp = privateCopy(file, text);
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
            view.setOwner(attrs.owner());
            view.setGroup(attrs.group());
            view.setPermissions(attrs.permissions());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new file of mode 0600 beside {@code file}, with a name of its own, holding {@code text} on disk. */
    private static Path privateCopy(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private void chown(Path path) throws IOException {
        if (owner == null) {
            return;
        }
        UserPrincipal user = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(owner);
        Files.setOwner(path, user);
    }
}
