package io.multiaz.cli;

import io.multiaz.cli.StateDirs.AtDefault;
import io.multiaz.cli.StateDirs.AtDefault.Kind;
import io.multiaz.cli.StateDirs.Reach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: where a command's state directory is, as a table of (--state-dir, $MULTIAZ_STATE_DIR,
 * working directory, what is at ./.multiaz, whether the servers' user can reach it) → choice; then
 * the file-system facts the choice is fed with.
 */
final class StateDirsTest {
    private static final Path CWD = Path.of("/root/project");
    private static final Path DEFAULT = CWD.resolve(".multiaz");
    private static final Reach OPEN = dir -> Optional.empty();
    private static final Reach ROOT_CLOSED = dir -> Optional.of(Path.of("/root"));

    private record Row(String name, Optional<String> explicit, Optional<String> env, AtDefault atDefault, Reach reach,
                       StateDirChoice expected) {
    }

    private static Row row(String name, String explicit, String env, AtDefault atDefault, Reach reach,
                           StateDirChoice expected) {
        return new Row(name, Optional.ofNullable(explicit), Optional.ofNullable(env), atDefault, reach, expected);
    }

    @Test
    void choose_table() {
        Path relocated = StateDirs.relocation(DEFAULT);
        List<Row> table = List.of(
                row("--state-dir wins, even out of reach", "/srv/mz", "/var/tmp/env", AtDefault.of(Kind.ABSENT),
                        ROOT_CLOSED, new StateDirChoice.Given(Path.of("/srv/mz"))),
                row("a relative --state-dir is the working directory's", "state/../mz", null,
                        AtDefault.of(Kind.ABSENT), OPEN, new StateDirChoice.Given(CWD.resolve("mz"))),
                row("$MULTIAZ_STATE_DIR without --state-dir", null, "/var/tmp/env", AtDefault.of(Kind.ABSENT),
                        ROOT_CLOSED, new StateDirChoice.Given(Path.of("/var/tmp/env"))),
                row("a blank $MULTIAZ_STATE_DIR counts as unset", null, " ", AtDefault.of(Kind.ABSENT), OPEN,
                        new StateDirChoice.InCheckout(DEFAULT)),
                row("default, reachable: ./.multiaz as before", null, null, AtDefault.of(Kind.ABSENT), OPEN,
                        new StateDirChoice.InCheckout(DEFAULT)),
                row("default, out of reach: relocated", null, null, AtDefault.of(Kind.ABSENT), ROOT_CLOSED,
                        new StateDirChoice.Relocated(DEFAULT, relocated, Path.of("/root"), false)),
                row("default, out of reach, empty directory left by a refused up: relocated over it", null, null,
                        AtDefault.of(Kind.EMPTY_DIRECTORY), ROOT_CLOSED,
                        new StateDirChoice.Relocated(DEFAULT, relocated, Path.of("/root"), true)),
                row("default, empty directory in reach: used", null, null, AtDefault.of(Kind.EMPTY_DIRECTORY), OPEN,
                        new StateDirChoice.InCheckout(DEFAULT)),
                row("default is the link up made: its target", null, null, AtDefault.link(relocated), ROOT_CLOSED,
                        new StateDirChoice.Linked(DEFAULT, relocated)),
                row("default is a directory with data: used as it is (up refuses it if out of reach)", null, null,
                        AtDefault.of(Kind.DIRECTORY), ROOT_CLOSED, new StateDirChoice.InCheckout(DEFAULT)),
                row("default is a file: used, for the preflight to refuse", null, null, AtDefault.of(Kind.OTHER),
                        ROOT_CLOSED, new StateDirChoice.InCheckout(DEFAULT)));
        for (Row r : table) {
            assertThat(StateDirs.choose(r.explicit(), r.env(), CWD, r.atDefault(), r.reach())).as(r.name())
                    .isEqualTo(r.expected());
        }
    }

    @Test
    void relocation_baseNameAndHashOfThePath_twoCheckoutsNeverShare() {
        Path one = StateDirs.relocation(Path.of("/root/project/.multiaz"));
        assertThat(one.getParent()).isEqualTo(Path.of("/var/lib/multiaz"));
        assertThat(one.getFileName().toString()).matches("project-[0-9a-f]{8}");
        assertThat(StateDirs.relocation(Path.of("/root/project/.multiaz"))).as("stable").isEqualTo(one);
        assertThat(StateDirs.relocation(Path.of("/home/ann/project/.multiaz"))).isNotEqualTo(one);
        assertThat(StateDirs.relocation(Path.of("/root/my project!/.multiaz")).getFileName().toString())
                .matches("my_project_-[0-9a-f]{8}");
        assertThat(StateDirs.relocation(Path.of("/.multiaz")).getFileName().toString()).matches("multiaz-[0-9a-f]{8}");
    }

    @Test
    void inspect_eachKind(@TempDir Path tmp) throws Exception {
        Path absent = tmp.resolve("absent");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("multiaz.yaml"), "x");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("full"));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("gone"));

        assertThat(StateDirs.inspect(absent)).isEqualTo(AtDefault.of(Kind.ABSENT));
        assertThat(StateDirs.inspect(empty)).isEqualTo(AtDefault.of(Kind.EMPTY_DIRECTORY));
        assertThat(StateDirs.inspect(full)).isEqualTo(AtDefault.of(Kind.DIRECTORY));
        assertThat(StateDirs.inspect(file)).isEqualTo(AtDefault.of(Kind.OTHER));
        assertThat(StateDirs.inspect(link)).as("a relative target, made absolute").isEqualTo(AtDefault.link(full));
        assertThat(StateDirs.inspect(dangling)).isEqualTo(AtDefault.link(tmp.resolve("gone")));
    }

    @Test
    void realPath_throughALink_evenBelowAMissingTail(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("target"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        Path real = tmp.toRealPath().resolve("target");
        assertThat(StateDirs.realPath(link)).isEqualTo(real);
        assertThat(StateDirs.realPath(link.resolve("logs/agent.log"))).isEqualTo(real.resolve("logs/agent.log"));
        assertThat(StateDirs.realPath(tmp.resolve("nothing/here"))).isEqualTo(tmp.toRealPath().resolve("nothing/here"));
    }

    @Test
    void reach_closedAncestor_blocksOthersOnly(@TempDir Path tmp) throws Exception {
        Path closed = Files.createDirectory(tmp.resolve("closed"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path dir = closed.resolve("checkout/.multiaz");
        assertThat(StateDirs.reach("postgres").blockedAt(dir)).as("missing ancestors are skipped").contains(closed);
        assertThat(StateDirs.reach(null).blockedAt(dir)).as("the servers run as ourselves").isEmpty();
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        assertThat(StateDirs.reach("postgres").blockedAt(dir)).as("every ancestor lets others pass").isEmpty();
    }
}
