package io.multiaz.model;

import io.multiaz.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The RDS settings of a spec as JSON: specs written before a field existed still read. */
final class DbClusterSettingsTest {
    @Test
    void json_withoutFinalSnapshot_readsAsNone() throws Exception {
        String older = "{\"slot\":3,\"instanceClass\":\"db.m6gd.large\",\"backupRetentionPeriod\":1,"
                + "\"createdAt\":\"2025-01-02T03:04:05Z\",\"deleting\":true,\"retiring\":[]}";

        DbClusterSettings read = Json.mapper().readValue(older, DbClusterSettings.class);

        assertThat(read.finalSnapshot()).isNull();
        assertThat(read.slot()).isEqualTo(3);
        assertThat(read.deleting()).isTrue();
    }

    @Test
    void json_withFinalSnapshot_roundTrips_andWithHelpersKeepIt() throws Exception {
        DbClusterSettings s = new DbClusterSettings(2, null, null, null, 1, null, null, false,
                Instant.parse("2025-01-02T03:04:05Z"), false, List.of()).withFinalSnapshot("orders-final");

        DbClusterSettings read = Json.mapper().readValue(Json.mapper().writeValueAsString(s), DbClusterSettings.class);

        assertThat(read).isEqualTo(s);
        assertThat(read.withDeleting(true).withRetiring(List.of()).finalSnapshot()).isEqualTo("orders-final");
    }
}
