package io.multiaz.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.multiaz.model.ClusterEvent;
import io.multiaz.model.EventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored JSON of values whose wire format outlives a release. */
final class JsonTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void writeEvent_typeIsItsKebabCaseName() throws JsonProcessingException {
        String json = Json.mapper().writeValueAsString(new ClusterEvent(AT, "demo-1", EventType.PROMOTION_REFUSED,
                "refusing to promote"));

        assertThat(json).contains("\"type\":\"promotion-refused\"");
    }

    @Test
    void readEvent_storedByAnEarlierVersion_readsItsType() throws JsonProcessingException {
        String stored = "{\"at\":\"2026-11-23T10:00:00Z\",\"instance\":null,\"type\":\"switchover-requested\","
                + "\"message\":\"switchover requested from demo-1 to demo-2\"}";

        ClusterEvent event = Json.mapper().readValue(stored, ClusterEvent.class);

        assertThat(event).isEqualTo(new ClusterEvent(AT, null, EventType.SWITCHOVER_REQUESTED,
                "switchover requested from demo-1 to demo-2"));
    }

    @Test
    void readEvent_typeThisVersionDoesNotKnow_readsAsUnknownKeepingTheRest() throws JsonProcessingException {
        String stored = "{\"at\":\"2026-11-23T10:00:00Z\",\"instance\":\"demo-2\",\"type\":\"backup-taken\","
                + "\"message\":\"backup taken\"}";

        ClusterEvent event = Json.mapper().readValue(stored, ClusterEvent.class);

        assertThat(event).isEqualTo(new ClusterEvent(AT, "demo-2", EventType.UNKNOWN, "backup taken"));
    }

    @Test
    void eventType_everyType_readsBackAsItself() throws JsonProcessingException {
        for (EventType type : EventType.values()) {
            String json = Json.mapper().writeValueAsString(type);

            assertThat(Json.mapper().readValue(json, EventType.class)).as(json).isEqualTo(type);
        }
    }
}
