package io.multiaz.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

final class EventTypeTest {

    @Test
    void of_everyWireName_isItsType() {
        for (EventType type : EventType.values()) {
            assertThat(EventType.of(type.toString())).isEqualTo(type);
        }
    }

    @Test
    void of_nameThisVersionDoesNotKnow_isUnknown() {
        assertThat(EventType.of("backup-taken")).isEqualTo(EventType.UNKNOWN);
        assertThat(EventType.of("PROMOTED")).isEqualTo(EventType.UNKNOWN);
    }

    @Test
    void wireNames_areKebabCaseAndDistinct() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::toString))
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z]+(-[a-z]+)*"));
    }

    @Test
    void requested_eachKind_isAClusterWideFailoverEvent() {
        assertThat(EventType.requested(OperatorRequest.Kind.SWITCHOVER)).isEqualTo(EventType.SWITCHOVER_REQUESTED);
        assertThat(EventType.requested(OperatorRequest.Kind.FAILOVER)).isEqualTo(EventType.FAILOVER_REQUESTED);
        assertThat(EventType.SWITCHOVER_REQUESTED.clusterWide()).isTrue();
        assertThat(EventType.SWITCHOVER_REQUESTED.category()).isEqualTo(EventType.Category.FAILOVER);
    }

    @Test
    void category_isSpelledAsRds() {
        assertThat(EventType.CLUSTER_MODIFIED.category()).hasToString("configuration change");
        assertThat(EventType.PROMOTION_REFUSED.category()).hasToString("failure");
    }
}
