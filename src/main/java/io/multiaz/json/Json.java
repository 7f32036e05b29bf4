package io.multiaz.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.multiaz.model.EventType;
import io.multiaz.model.Lsn;

import java.io.IOException;

/**
 * The one JSON mapping of multiaz values, shared by the store records, the agent's health API and
 * the CLI: LSNs as PostgreSQL prints them ({@code "0/3000060"}), enums in lowercase, instants in ISO-8601.
 * An event type this version does not know reads as {@link EventType#UNKNOWN} rather than failing the
 * whole event log.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("multiaz")
                    .addSerializer(Lsn.class, new LsnSerializer())
                    .addDeserializer(Lsn.class, new LsnDeserializer())
                    .addDeserializer(EventType.class, new EventTypeDeserializer()))
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The shared, thread-safe mapper; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static final class LsnSerializer extends StdScalarSerializer<Lsn> {
        LsnSerializer() {
            super(Lsn.class);
        }

        @Override
        public void serialize(Lsn value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class LsnDeserializer extends StdScalarDeserializer<Lsn> {
        LsnDeserializer() {
            super(Lsn.class);
        }

        @Override
        public Lsn deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Lsn.parse(p.getValueAsString());
        }
    }

    private static final class EventTypeDeserializer extends StdScalarDeserializer<EventType> {
        EventTypeDeserializer() {
            super(EventType.class);
        }

        @Override
        public EventType deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return EventType.of(p.getValueAsString());
        }
    }
}
