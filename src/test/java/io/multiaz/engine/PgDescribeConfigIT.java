package io.multiaz.engine;

import io.multiaz.model.EngineParameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PgDescribeConfig#run} against the installed PostgreSQL server programs. */
final class PgDescribeConfigIT {
    @Test
    void run_installedServer_sharedBuffersStatic_walLevelWithItsValues() {
        String runAs = "root".equals(System.getProperty("user.name")) ? "postgres" : null;
        List<EngineParameter> all = PgDescribeConfig.run(PgBinaries.in(PgBinaries.find(null)), runAs);

        assertThat(all).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("wal_level");
            assertThat(p.enumValues()).containsExactly("minimal", "replica", "logical");
        });

        assertThat(all).hasSizeGreaterThan(300).anySatisfy(p -> {
            assertThat(p.name()).isEqualTo("shared_buffers");
            assertThat(p.isStatic()).isTrue();
            assertThat(p.type()).isEqualTo("INTEGER");
        });
    }
}
