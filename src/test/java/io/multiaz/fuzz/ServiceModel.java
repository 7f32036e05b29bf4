package io.multiaz.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A service model as botocore ships it ({@code <service>/<version>/service-2.json}, the file the AWS
 * CLI builds its requests from): the operations with their input shape and the error codes they
 * declare, and the shapes. Only what the fuzzer needs is read. Immutable.
 *
 * @param apiVersion  the {@code Version} of Query calls, e.g. {@code 2014-10-31}
 * @param signingName the SigV4 service name, e.g. {@code rds}
 * @param protocol    {@code query} for the services multiaz serves so far
 */
public record ServiceModel(String apiVersion, String signingName, String protocol, Map<String, Operation> operations,
                           Map<String, Shape> shapes) {
    /** Where the Debian AWS CLI keeps botocore's models. */
    public static final Path AWS_CLI_MODELS = Path.of("/usr/lib/python3/dist-packages/awscli/botocore/data");

    public ServiceModel {
        operations = Map.copyOf(operations);
        shapes = Map.copyOf(shapes);
    }

    /** One operation: its name, the shape of its input (null when it takes none) and the codes of the errors it declares. */
    public record Operation(String name, String input, Set<String> errorCodes) {
        public Operation {
            errorCodes = Set.copyOf(errorCodes);
        }
    }

    /** A member of a structure, or the member of a list: the shape it has and the name it is serialized under, if given. */
    public record Member(String name, String shape, String locationName) {
    }

    /**
     * A shape: its type ({@code string}, {@code integer}, {@code long}, {@code boolean},
     * {@code timestamp}, {@code double}, {@code float}, {@code blob}, {@code list}, {@code map},
     * {@code structure}); for structures the members in model order and the required ones; for lists
     * the member and whether it is flattened; for strings the enum values; numeric or length bounds.
     */
    public record Shape(String name, String type, Map<String, Member> members, Set<String> required, Member listMember,
                        boolean flattened, List<String> enumValues, Optional<Long> min, Optional<Long> max) {
        public Shape {
            members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
            required = Set.copyOf(required);
            enumValues = List.copyOf(enumValues);
        }

        boolean isScalar() {
            return !type.equals("structure") && !type.equals("list") && !type.equals("map");
        }
    }

    /** The model of {@code service} at {@code version} as the AWS CLI ships it, e.g. {@code ("rds", "2014-10-31")}. */
    public static ServiceModel awsCli(String service, String version) throws IOException {
        return read(AWS_CLI_MODELS.resolve(service).resolve(version).resolve("service-2.json"));
    }

    /** Reads a botocore {@code service-2.json}. */
    public static ServiceModel read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode meta = root.get("metadata");
        Map<String, Shape> shapes = new LinkedHashMap<>();
        root.get("shapes").fields().forEachRemaining(e -> shapes.put(e.getKey(), shape(e.getKey(), e.getValue())));
        Map<String, Operation> operations = new LinkedHashMap<>();
        root.get("operations").fields().forEachRemaining(e -> {
            JsonNode op = e.getValue();
            Set<String> codes = new LinkedHashSet<>();
            op.path("errors").forEach(err -> {
                JsonNode shape = root.get("shapes").get(err.get("shape").asText());
                codes.add(shape.path("error").path("code").asText(err.get("shape").asText()));
            });
            String input = op.has("input") ? op.get("input").get("shape").asText() : null;
            operations.put(e.getKey(), new Operation(e.getKey(), input, codes));
        });
        String signingName = meta.path("signingName").asText(meta.get("endpointPrefix").asText());
        return new ServiceModel(meta.get("apiVersion").asText(), signingName, meta.get("protocol").asText(),
                operations, shapes);
    }

    public Operation operation(String name) {
        return Objects.requireNonNull(operations.get(name), () -> "no operation " + name + " in the model");
    }

    public Shape shape(String name) {
        return Objects.requireNonNull(shapes.get(name), () -> "no shape " + name + " in the model");
    }

    private static Shape shape(String name, JsonNode node) {
        Map<String, Member> members = new LinkedHashMap<>();
        node.path("members").fields().forEachRemaining(m -> members.put(m.getKey(), member(m.getKey(), m.getValue())));
        Set<String> required = new LinkedHashSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        List<String> enums = new ArrayList<>();
        node.path("enum").forEach(v -> enums.add(v.asText()));
        Member listMember = node.has("member") ? member("member", node.get("member")) : null;
        return new Shape(name, node.get("type").asText(), members, required, listMember,
                node.path("flattened").asBoolean(false), enums, bound(node, "min"), bound(node, "max"));
    }

    private static Member member(String name, JsonNode node) {
        return new Member(name, node.get("shape").asText(), node.has("locationName") ? node.get("locationName").asText() : null);
    }

    private static Optional<Long> bound(JsonNode node, String field) {
        return node.has(field) ? Optional.of(node.get(field).asLong()) : Optional.empty();
    }
}
