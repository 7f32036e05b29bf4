package io.multiaz.engine;

import io.multiaz.model.EngineParameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class PgDescribeConfigTest {
    @Test
    void parse_linesWithAndWithoutExtraDescription_sortedByName() {
        String out = "work_mem\tuser\tResource Usage / Memory\tINTEGER\t0\t64\t2147483647\tSets memory.\tPer sort.\n"
                + "wal_level\tpostmaster\tWrite-Ahead Log / Settings\tENUM\treplica\t\t\tSets the level.\t\n"
                + "garbage line\n";

        assertThat(PgDescribeConfig.parse(out)).containsExactly(
                new EngineParameter("wal_level", "postmaster", "Write-Ahead Log / Settings", "ENUM", "replica", "", "",
                        "Sets the level.", List.of()),
                new EngineParameter("work_mem", "user", "Resource Usage / Memory", "INTEGER", "0", "64", "2147483647",
                        "Sets memory. Per sort.", List.of()));
    }

    @Test
    void availableValues_serversHint_listedInOrder() {
        String stderr = "2026-11-23 15:04:24.967 GMT [9103] FATAL:  invalid value for parameter \"wal_level\": \"x\"\n"
                + "2026-11-23 15:04:24.967 GMT [9103] HINT:  Available values: minimal, replica, logical.\n";

        assertThat(PgDescribeConfig.availableValues(stderr)).containsExactly("minimal", "replica", "logical");
        assertThat(PgDescribeConfig.availableValues("FATAL: something else\n")).isEmpty();
    }

    /** What PostgreSQL 15 printed (src/test/resources/postgres-15): no server is needed to parse it. */
    @Test
    void parse_recordedPostgres15_sharedBuffersStatic_walLevelWithItsValues() {
        List<EngineParameter> all = RecordedDescribeConfig.postgres15();

        assertThat(all).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("wal_level");
            assertThat(p.enumValues()).containsExactly("minimal", "replica", "logical");
        });
        assertThat(all).hasSizeGreaterThan(300).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("shared_buffers");
            assertThat(p.isStatic()).isTrue();
            assertThat(p.type()).isEqualTo("INTEGER");
        });
        assertThat(all).filteredOn(p -> p.type().equals("ENUM")).hasSize(33)
                .allSatisfy(p -> assertThat(p.enumValues()).as(p.name()).isNotEmpty());
    }
}
