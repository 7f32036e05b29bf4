package io.multiaz.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a command's state directory is: {@link #choose}, a pure function of what the user named,
 * the working directory, what is at {@code ./.multiaz} and whether the PostgreSQL servers' OS user
 * can reach a path; and the file-system facts it is fed with ({@link #inspect}, {@link #reach}).
 *
 * <p>Why: as root in a checkout under {@code /root} (closed to others), the {@code postgres} user
 * cannot reach {@code ./.multiaz}, so the default moves to {@code /var/lib/multiaz/<checkout>-<hash>}
 * and {@code ./.multiaz} becomes a symbolic link to it; no permission of the user's directories changes.
 */
final class StateDirs {
    /** The default state directory, relative to the working directory. */
    static final String DEFAULT = ".multiaz";
    /** Where relocated state directories live, one per checkout. */
    static final Path RELOCATION_ROOT = Path.of("/var/lib/multiaz");

    private StateDirs() {
    }

    /** What is at {@code ./.multiaz}; {@code linkTarget} (absolute) only for {@link Kind#LINK}. */
    record AtDefault(Kind kind, Path linkTarget) {
        enum Kind { ABSENT, EMPTY_DIRECTORY, DIRECTORY, LINK, OTHER }

        AtDefault {
            if ((kind == Kind.LINK) != (linkTarget != null)) {
                throw new IllegalArgumentException("a link target is given for a link, and only for one");
            }
        }

        static AtDefault of(Kind kind) {
            return new AtDefault(kind, null);
        }

        static AtDefault link(Path target) {
            return new AtDefault(Kind.LINK, target);
        }
    }

    /** Whether the servers' OS user can reach a directory. */
    @FunctionalInterface
    interface Reach {
        /** The first existing ancestor of {@code dir} that the servers' OS user cannot pass; empty when none. */
        Optional<Path> blockedAt(Path dir);
    }

    /**
     * The state directory to use: {@code explicit} ({@code --state-dir}), else {@code env}
     * ({@code $MULTIAZ_STATE_DIR}, blank counts as unset), both as given; else {@code cwd/.multiaz}:
     * where its link points, itself when it is a directory with something in it (or anything but a
     * directory, for the preflight to refuse), itself when the servers' user can reach it, and
     * otherwise a directory of its own under {@link #RELOCATION_ROOT}.
     *
     * @param cwd       the working directory, absolute
     * @param atDefault what is at {@code cwd/.multiaz} now
     */
    static StateDirChoice choose(Optional<String> explicit, Optional<String> env, Path cwd, AtDefault atDefault,
                                 Reach reach) {
        Optional<String> named = explicit.or(() -> env.filter(e -> !e.isBlank()));
        if (named.isPresent()) {
            return new StateDirChoice.Given(cwd.resolve(named.get()).normalize());
        }
        Path link = cwd.resolve(DEFAULT);
        switch (atDefault.kind()) {
            case LINK:
                return new StateDirChoice.Linked(link, atDefault.linkTarget());
            case DIRECTORY:
            case OTHER:
                return new StateDirChoice.InCheckout(link);
            default:
                Optional<Path> blocked = reach.blockedAt(link);
                return blocked.<StateDirChoice>map(b -> new StateDirChoice.Relocated(link, relocation(link), b,
                        atDefault.kind() == AtDefault.Kind.EMPTY_DIRECTORY))
                        .orElseGet(() -> new StateDirChoice.InCheckout(link));
        }
    }

    /**
     * The relocated state directory of default directory {@code defaultDir}: the checkout's base name
     * (characters other than letters, digits, '.', '_' and '-' replaced by '_') and the first 8 hex
     * digits of the SHA-256 of {@code defaultDir}'s absolute path, so two checkouts never share one.
     */
    static Path relocation(Path defaultDir) {
        Path checkout = defaultDir.getParent();
        String base = checkout == null || checkout.getFileName() == null ? "multiaz"
                : checkout.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(defaultDir.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return RELOCATION_ROOT.resolve(base + "-" + HexFormat.of().formatHex(digest).substring(0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every JDK must have", e);
        }
    }

    /** What is at {@code path} now: nothing, a (empty) directory, a symbolic link (with its absolute target), else. */
    static AtDefault inspect(Path path) {
        try {
            if (Files.isSymbolicLink(path)) {
                Path target = Files.readSymbolicLink(path);
                return AtDefault.link(path.toAbsolutePath().getParent().resolve(target).normalize());
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    return AtDefault.of(entries.findAny().isPresent() ? AtDefault.Kind.DIRECTORY
                            : AtDefault.Kind.EMPTY_DIRECTORY);
                }
            }
            return AtDefault.of(Files.exists(path) ? AtDefault.Kind.OTHER : AtDefault.Kind.ABSENT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look at " + path + ": " + e.getMessage()
                    + "; fix its permissions or choose a state dir with --state-dir", e);
        }
    }

    /**
     * How OS user {@code runAs} reaches directories: through every ancestor that lets others pass (x);
     * with {@code runAs} null (the servers run as ourselves) everything is reachable. An ancestor
     * whose permissions cannot be read counts as closed.
     */
    static Reach reach(String runAs) {
        if (runAs == null) {
            return dir -> Optional.empty();
        }
        return dir -> {
            for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                if (!Files.exists(p)) {
                    continue;
                }
                try {
                    if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        return Optional.of(p);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        };
    }

    /**
     * {@code path} with every symbolic link resolved: its longest existing prefix by its real path,
     * the rest as given. What the CLI hands agents and servers, so none has to pass through the link
     * (or the closed directory that holds it).
     */
    static Path realPath(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * Makes the relocated directory of {@code r} (and {@link #RELOCATION_ROOT}) if missing, each new
     * one with mode 0755 so the servers' user can pass; directories that exist keep their mode.
     */
    static void makeRelocated(StateDirChoice.Relocated r) {
        try {
            for (Path dir : new Path[] {r.dir().getParent(), r.dir()}) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create the state directory " + r.dir() + " (" + e.getMessage()
                    + "); choose a state dir the postgres OS user can reach with --state-dir");
        }
    }

    /** Points {@code r.link()} at {@code r.dir()}, first removing the empty directory that was there. */
    static void link(StateDirChoice.Relocated r) {
        try {
            if (r.replacesEmptyDir()) {
                Files.delete(r.link()); // fails, changing nothing, if it is not empty any more
            }
            Files.createSymbolicLink(r.link(), r.dir());
        } catch (IOException e) {
            throw new UserError("cannot make " + r.link() + " a link to " + r.dir() + " (" + e.getMessage()
                    + "); run this and every later command with --state-dir " + r.dir());
        }
    }
}
