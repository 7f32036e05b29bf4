package io.multiaz.engine;

import io.multiaz.model.Credentials;
import io.multiaz.model.InstanceSpec;
import io.multiaz.model.Upstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class PgConfigWriterTest {
    private static final Credentials CREDENTIALS =
            new Credentials("multiaz_admin", "su-pw", "replicator", "it's\\secret", "master", "m-pw");
    private static final Upstream DB_1 = new Upstream("db-1", "10.0.0.1", 5432);

    @TempDir
    Path dir;

    private EngineSettings settings(Map<String, String> parameters, List<String> cidrs) {
        return new EngineSettings(Path.of("/usr/lib/postgresql/15/bin"), dir, null,
                new InstanceSpec("db-2", "az-b", "10.0.0.2", 5433), "app", CREDENTIALS, cidrs, parameters);
    }

    private PgConfigWriter writer(Map<String, String> parameters) {
        return new PgConfigWriter(settings(parameters, List.of("10.0.0.0/16")), PgFiles.forUser(null, new PgCommand(null)));
    }

    @Test
    void postgresqlConf_standby_followsUpstreamThroughItsSlot() {
        String conf = writer(Map.of()).postgresqlConf(PgServerConfig.standby(DB_1));

        assertThat(conf)
                .contains("# multiaz upstream: db-1\n")
                .contains("listen_addresses = '10.0.0.2'\n", "port = '5433'\n", "synchronous_commit = 'on'\n")
                .contains("primary_conninfo = 'host=10.0.0.1 port=5432 user=replicator "
                        + "password=''it\\\\''s\\\\\\\\secret'' application_name=db-2 connect_timeout=2'\n")
                .contains("primary_slot_name = 'db_2'\n", "recovery_target_timeline = 'latest'\n")
                .contains("synchronous_standby_names = ''\n");
    }

    @Test
    void postgresqlConf_standbyWithoutUpstream_waitsWithoutConninfo() {
        String conf = writer(Map.of()).postgresqlConf(PgServerConfig.standby(null));

        assertThat(conf).contains("# multiaz role: standby\n", "recovery_target_timeline = 'latest'\n")
                .doesNotContain("primary_conninfo", "primary_slot_name", "multiaz upstream");
    }

    @Test
    void postgresqlConf_primary_hasNoConninfoAndKeepsSyncNames() {
        String conf = writer(Map.of()).postgresqlConf(PgServerConfig.primary("ANY 1 (\"db-1\", \"db-3\")"));

        assertThat(conf).contains("synchronous_standby_names = 'ANY 1 (\"db-1\", \"db-3\")'\n")
                .doesNotContain("primary_conninfo", "multiaz upstream");
    }

    @Test
    void postgresqlConf_parameters_includedAfterTheDefaultsAndBeforeWhatMultiazSets() {
        PgConfigWriter writer = writer(Map.of("max_connections", "500", "pg_stat_statements.max", "1000"));
        String conf = writer.postgresqlConf(PgServerConfig.primary(""));

        // later lines win in postgresql.conf: the include overrides the defaults, multiaz's own settings come last
        assertThat(conf.indexOf("max_connections = '100'")).isLessThan(conf.indexOf("include_if_exists"));
        assertThat(conf.indexOf("include_if_exists 'multiaz-parameters.conf'"))
                .isLessThan(conf.indexOf("listen_addresses"));
        assertThat(writer.parametersConf()).contains("max_connections = '500'\n", "pg_stat_statements.max = '1000'\n");
    }

    @Test
    void writeParameters_replacesTheIncludeOnly_andRefusesBadOnesWritingNothing() throws Exception {
        PgConfigWriter writer = writer(Map.of("work_mem", "4MB"));
        writer.write(dir, PgServerConfig.primary(""));
        String conf = Files.readString(dir.resolve("postgresql.conf"));

        writer.writeParameters(dir, Map.of("work_mem", "8MB"));

        assertThat(Files.readString(dir.resolve("multiaz-parameters.conf"))).contains("work_mem = '8MB'")
                .doesNotContain("4MB");
        assertThat(Files.readString(dir.resolve("postgresql.conf"))).isEqualTo(conf);
        assertThatThrownBy(() -> writer.writeParameters(dir, Map.of("port", "1")))
                .isInstanceOf(EngineException.class).hasMessageContaining("managed by multiaz");
        assertThat(Files.readString(dir.resolve("multiaz-parameters.conf"))).contains("work_mem = '8MB'");
        assertThat(writer.parameters()).containsExactly(Map.entry("work_mem", "8MB"));
    }

    @Test
    void constructor_managedOrMalformedParameter_isRefusedWithWhatToDo() {
        assertThatThrownBy(() -> writer(Map.of("synchronous_commit", "off")))
                .isInstanceOf(EngineException.class).hasMessageContaining("managed by multiaz");
        assertThatThrownBy(() -> writer(Map.of("work_mem'; x", "1")))
                .isInstanceOf(EngineException.class).hasMessageContaining("fix it in the parameter group");
        assertThatThrownBy(() -> writer(Map.of("work_mem", "1\nlisten_addresses='*'")))
                .isInstanceOf(EngineException.class).hasMessageContaining("one-line value");
        assertThatThrownBy(() -> new PgConfigWriter(settings(Map.of(), List.of("0.0.0.0/0 trust")),
                PgFiles.forUser(null, new PgCommand(null))))
                .isInstanceOf(EngineException.class).hasMessageContaining("CIDR");
    }

    @Test
    void hbaConf_admitsAllowedNetworksWithScramOnly() {
        String hba = writer(Map.of()).hbaConf();

        assertThat(hba).contains("local all all peer map=multiaz\n",
                        "host replication replicator 10.0.0.0/16 scram-sha-256\n",
                        "host all all 10.0.0.0/16 scram-sha-256\n")
                .doesNotContain("trust", "md5");
    }

    @Test
    void identConf_serversOsUserMapsToTheSuperuserAndEveryUserToItself() {
        String ident = new PgConfigWriter(new EngineSettings(Path.of("/usr/lib/postgresql/15/bin"), dir, "postgres",
                new InstanceSpec("db-2", "az-b", "10.0.0.2", 5433), "app", CREDENTIALS, List.of("10.0.0.0/16"),
                Map.of()), PgFiles.forUser(null, new PgCommand(null))).identConf();

        assertThat(ident).contains("multiaz postgres multiaz_admin\n", "multiaz /^(.*)$ \\1\n");
    }

    @Test
    void postgresqlConf_withArchiving_everyMemberArchivesAndNoneReadsTheRepository() {
        Archiving archiving = new Archiving("pgbackrest --stanza=s archive-push %p", java.time.Duration.ofSeconds(10));
        PgConfigWriter writer = new PgConfigWriter(new EngineSettings(Path.of("/usr/lib/postgresql/15/bin"), dir, null,
                new InstanceSpec("db-2", "az-b", "10.0.0.2", 5433), "app", CREDENTIALS, List.of("10.0.0.0/16"),
                Map.of(), "", archiving), PgFiles.forUser(null, new PgCommand(null)));

        for (PgServerConfig config : List.of(PgServerConfig.primary(""), PgServerConfig.standby(DB_1))) {
            assertThat(writer.postgresqlConf(config)).contains("archive_mode = 'always'\n",
                    "archive_command = 'pgbackrest --stanza=s archive-push %p'\n", "archive_timeout = '10s'\n")
                    .as("a restore_command slows promotion").doesNotContain("restore_command");
        }
        assertThat(writer(Map.of()).postgresqlConf(PgServerConfig.primary(""))).doesNotContain("archive");
    }

    @Test
    void write_standbyThenPrimary_togglesSignalAndReadsBack() throws Exception {
        PgConfigWriter writer = writer(Map.of());

        writer.write(dir, PgServerConfig.standby(DB_1));
        assertThat(dir.resolve("standby.signal")).exists();
        assertThat(PgConfigWriter.upstreamName(dir)).contains("db-1");
        assertThat(PgConfigWriter.syncStandbyNames(dir)).isEmpty();

        writer.write(dir, PgServerConfig.primary("ANY 1 (\"db-1\")"));
        assertThat(dir.resolve("standby.signal")).doesNotExist();
        assertThat(PgConfigWriter.upstreamName(dir)).isEmpty();
        assertThat(PgConfigWriter.syncStandbyNames(dir)).isEqualTo("ANY 1 (\"db-1\")");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("postgresql.conf", "pg_hba.conf",
                    "pg_ident.conf", "multiaz-parameters.conf");
        }
    }

    @Test
    void syncStandbyNames_quotesAndBackslashes_surviveTheRoundTrip() {
        String names = "ANY 1 (\"it's\", \"back\\slash\")";
        writer(Map.of()).write(dir, PgServerConfig.primary(names));

        assertThat(PgConfigWriter.syncStandbyNames(dir)).isEqualTo(names);
    }
}
