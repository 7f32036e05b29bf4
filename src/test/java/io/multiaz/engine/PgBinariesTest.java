package io.multiaz.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class PgBinariesTest {
    @TempDir
    Path root;

    private Path install(String version, List<String> programs) throws Exception {
        Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
        for (String program : programs) {
            Path p = Files.writeString(bin.resolve(program), "#!/bin/sh\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void find_noPreference_picksHighestCompleteVersionAtLeast15() throws Exception {
        install("14", PgBinaries.PROGRAMS);
        Path v15 = install("15", PgBinaries.PROGRAMS);
        install("16", List.of("initdb", "pg_ctl", "postgres"));
        install("notes", PgBinaries.PROGRAMS);

        assertThat(PgBinaries.find(null, root)).isEqualTo(v15);

        Path v17 = install("17", PgBinaries.PROGRAMS);
        assertThat(PgBinaries.find(null, root)).isEqualTo(v17);
        assertThat(PgBinaries.in(v17).program("pg_rewind")).isEqualTo(v17.resolve("pg_rewind"));
    }

    @Test
    void find_onlyOldOrIncomplete_saysHowToInstall() throws Exception {
        install("14", PgBinaries.PROGRAMS);

        assertThatThrownBy(() -> PgBinaries.find(null, root))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("PostgreSQL server binaries not found in " + root)
                .hasMessageContaining("apt-get install postgresql-15 postgresql-contrib-15");
    }

    @Test
    void find_preferredMissingProgram_isRefusedNotReplaced() throws Exception {
        install("17", PgBinaries.PROGRAMS);
        Path partial = install("15", List.of("initdb", "pg_ctl", "postgres", "pg_basebackup", "pg_controldata"));

        assertThatThrownBy(() -> PgBinaries.find(partial, root))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("not found in " + partial + " (missing pg_rewind)");
    }
}
