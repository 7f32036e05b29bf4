package io.multiaz.cli;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input to {@code up} fails with one line that says what to do, and starts nothing: no agent
 * process, no pid file, no layout.
 */
final class UpBadInputIT {

    private static void assertOneLineAndNothingStarted(Cli.Result r, Path stateDir, String fragment) {
        assertThat(r.exit()).isEqualTo(1);
        String err = r.err().strip();
        assertThat(err).startsWith("multiaz: ").contains(fragment).doesNotContain("\n").doesNotContain("Exception");
        assertThat(Files.exists(stateDir.resolve("run"))).as("no agent pid files").isFalse();
        assertThat(Files.exists(stateDir.resolve("multiaz.yaml"))).as("no layout written").isFalse();
    }

    @Test
    void up_portInUse_failsNamingThePortAndStartsNothing() throws Exception {
        Path stateDir = Cli.stateDir("state");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 27610));
            Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "27600");
            assertOneLineAndNothingStarted(r, stateDir, "port 27610");
            assertThat(r.err()).contains("--base-port");
        }
    }

    @Test
    void up_stateDirUnderAFile_failsAndStartsNothing() throws Exception {
        Path parent = Cli.stateDir("x").getParent();
        Path file = Files.writeString(parent.resolve("plain-file"), "not a directory");
        Path stateDir = file.resolve("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "27700");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("multiaz: state directory").contains("not writable")
                .contains("--state-dir").doesNotContain("\n");
        assertThat(Files.isRegularFile(file)).isTrue();
    }

    @Test
    void up_missingPostgresBinaries_failsWithInstallHintAndStartsNothing() throws Exception {
        Path stateDir = Cli.stateDir("state");
        Path emptyBin = Files.createDirectories(stateDir.getParent().resolve("no-postgres-here"));
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "27800",
                "--pg-bin", emptyBin.toString());
        assertOneLineAndNothingStarted(r, stateDir, "apt-get install");
    }

    @Test
    void up_badTimeout_isAUsageErrorThatChangesNothing() throws Exception {
        Path stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--timeout", "soon");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--timeout takes a duration");
        assertThat(Files.exists(stateDir)).isFalse();
    }

    /** Issue 20: a state dir the user names is used as named, so one out of the servers' reach keeps its clear error. */
    @Test
    void up_namedStateDirOutOfReach_refusedWithTheHintAndNothingRelocated() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Os.isRoot(), "the servers run as postgres only as root");
        Path closed = Files.createTempDirectory(Path.of("/tmp"), "multiaz-closed-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Path stateDir = closed.resolve("checkout/state");
        try {
            Cli.Result r = Cli.run("up", "--state-dir", stateDir.toString(), "--base-port", "29100");
            assertOneLineAndNothingStarted(r, stateDir, "cannot reach " + stateDir + " because " + closed
                    + " is not searchable by others");
            assertThat(r.err()).contains("--state-dir", "chmod o+x " + closed);
            assertThat(r.out()).doesNotContain("/var/lib/multiaz");
            assertThat(Files.getPosixFilePermissions(closed)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
        } finally {
            try (var walk = Files.walk(closed)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void status_noDeployment_saysToRunUp() throws Exception {
        Path stateDir = Cli.stateDir("state");
        Cli.Result r = Cli.run("status", "--state-dir", stateDir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("./multiaz up");
    }
}
