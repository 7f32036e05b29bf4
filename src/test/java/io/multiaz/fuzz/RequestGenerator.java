package io.multiaz.fuzz;

import io.multiaz.fuzz.FuzzRequest.Leaf;
import io.multiaz.fuzz.FuzzRequest.Param;
import io.multiaz.fuzz.ServiceModel.Member;
import io.multiaz.fuzz.ServiceModel.Shape;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Builds a plausible call of an operation from its model: every required member, optional ones at
 * the {@link Hints}' rate, values from the hints' pools or else from the member's type (an enum's
 * values, numbers within the model's bounds), serialized as botocore's Query serializer does (the
 * AWS CLI's): structures as {@code Prefix.Member}, lists as {@code Prefix.<member name or
 * "member">.N}, flattened lists without the wrapper, maps as {@code Prefix.entry.N.key/value}.
 * Deterministic for a given {@link Random}; stateless otherwise.
 */
final class RequestGenerator {
    private static final int MAX_DEPTH = 4;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final ServiceModel model;
    private final Hints hints;

    RequestGenerator(ServiceModel model, Hints hints) {
        this.model = model;
        this.hints = hints;
    }

    FuzzRequest generate(String action, Random r) {
        List<Param> params = new ArrayList<>();
        String input = model.operation(action).input();
        if (input != null) {
            structure(action, "", model.shape(input), null, params, r, 0);
        }
        return new FuzzRequest(action, model.apiVersion(), params, "", false, List.of());
    }

    /** A value from {@code key}'s pool, or one of {@code shape}'s type. */
    String scalar(String action, String key, Shape shape, Random r) {
        Optional<List<String>> pool = hints.pool(action, key);
        if (pool.isPresent() && !pool.get().isEmpty()) {
            return pool.get().get(r.nextInt(pool.get().size()));
        }
        return switch (shape.type()) {
            case "string" -> shape.enumValues().isEmpty() ? "fz-" + Integer.toString(r.nextInt(1 << 20), 36)
                    : shape.enumValues().get(r.nextInt(shape.enumValues().size()));
            case "integer", "long" -> {
                long min = shape.min().orElse(0L);
                long max = Math.min(shape.max().orElse(min + 100), min + 100);
                yield Long.toString(min + (long) r.nextInt((int) (max - min + 1)));
            }
            case "boolean" -> Boolean.toString(r.nextBoolean());
            case "timestamp" -> ISO.format(Instant.now().minusSeconds(r.nextInt(7200)));
            case "double", "float" -> Double.toString(r.nextInt(100) / 4.0);
            case "blob" -> Base64.getEncoder().encodeToString("fz".getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("not a scalar shape: " + shape.name() + " " + shape.type());
        };
    }

    private void structure(String action, String prefix, Shape shape, String owner, List<Param> params, Random r,
                           int depth) {
        for (Member m : shape.members().values()) {
            String key = owner == null ? m.name() : owner + "." + m.name();
            boolean pooled = hints.pool(action, key).isPresent();
            boolean send = shape.required().contains(m.name()) || hints.alwaysSent().contains(key)
                    || r.nextDouble() < (pooled ? 0.5 : hints.optionalRate());
            if (!send || depth >= MAX_DEPTH) {
                continue;
            }
            String wire = m.locationName() != null ? m.locationName() : m.name();
            value(action, prefix.isEmpty() ? wire : prefix + "." + wire, key, model.shape(m.shape()), params, r,
                    depth + 1);
        }
    }

    private void value(String action, String name, String key, Shape shape, List<Param> params, Random r, int depth) {
        switch (shape.type()) {
            case "structure" -> structure(action, name, shape, shape.name(), params, r, depth);
            case "list" -> {
                Member member = shape.listMember();
                String element = shape.flattened()
                        ? (member.locationName() != null ? replaceLast(name, member.locationName()) : name)
                        : name + "." + (member.locationName() != null ? member.locationName() : "member");
                Shape memberShape = model.shape(member.shape());
                int n = 1 + r.nextInt(3);
                List<String> used = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    if (memberShape.isScalar()) {
                        String v = scalar(action, key, memberShape, r);
                        if (!used.contains(v)) {
                            used.add(v);
                            params.add(new Param(element + "." + used.size(), v, new Leaf(key, memberShape)));
                        }
                    } else {
                        value(action, element + "." + i, key, memberShape, params, r, depth);
                    }
                }
            }
            case "map" -> {
                params.add(new Param(name + ".entry.1.key", "fz", null));
                params.add(new Param(name + ".entry.1.value", "fz", null));
            }
            default -> params.add(new Param(name, scalar(action, key, shape, r), new Leaf(key, shape)));
        }
    }

    private static String replaceLast(String name, String last) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? last : name.substring(0, dot + 1) + last;
    }
}
