package io.multiaz.agent.http;

import io.multiaz.agent.ha.ClusterOperations;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.multiaz.agent.ha.InstanceSupervisor.Observed;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.OperatorRequest;
import io.multiaz.store.StoreException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's operator routes: {@code POST /switchover?to=}, {@code POST /failover?to=&force=},
 * {@code POST /pause}, {@code POST /resume}, {@code GET /events?limit=}, {@code GET /history}.
 * Each acts on the cluster {@code ?cluster=NAME} names, as the store has it now, from any agent (an
 * unknown name is 404 naming the clusters); without it, on the cluster of the instance this agent
 * observes ({@code ?instance=} picks one). Answers JSON; refusals are 400, 404 or 409 with
 * {@code {"error": "..."}} saying what to do. The POSTs need the operator token: {@link HealthServer}
 * guards them with {@link OperatorAuth} (401 without).
 */
public final class OperationsRoutes {
    private final ClusterOperations operations;
    private final Function<Context, Optional<Observed>> observed;

    public OperationsRoutes(ClusterOperations operations, Function<Context, Optional<Observed>> observed) {
        this.operations = operations;
        this.observed = observed;
    }

    /** The cluster a request acts on: as the store has it, or as an instance of this agent last observed it. */
    private interface Target {
        String cluster();

        OperatorRequest request(OperatorRequest.Kind kind, String to, boolean force);
    }

    private record Stored(ClusterOperations operations, ClusterSnapshot snapshot) implements Target {
        @Override
        public String cluster() {
            return snapshot.spec().orElseThrow().name();
        }

        @Override
        public OperatorRequest request(OperatorRequest.Kind kind, String to, boolean force) {
            return operations.request(snapshot, kind, to, force);
        }
    }

    private record Seen(ClusterOperations operations, Observed observed) implements Target {
        @Override
        public String cluster() {
            return observed.view().spec().name();
        }

        @Override
        public OperatorRequest request(OperatorRequest.Kind kind, String to, boolean force) {
            return operations.request(observed, kind, to, force);
        }
    }

    public void register(Javalin app) {
        app.post("/switchover", ctx -> handle(ctx, t -> t.request(OperatorRequest.Kind.SWITCHOVER,
                ctx.queryParam("to"), false)));
        app.post("/failover", ctx -> handle(ctx, t -> t.request(OperatorRequest.Kind.FAILOVER,
                ctx.queryParam("to"), "true".equals(ctx.queryParam("force")))));
        app.post("/pause", ctx -> handle(ctx, t -> {
            operations.setPaused(t.cluster(), true);
            return Map.of("cluster", t.cluster(), "paused", true);
        }));
        app.post("/resume", ctx -> handle(ctx, t -> {
            operations.setPaused(t.cluster(), false);
            return Map.of("cluster", t.cluster(), "paused", false);
        }));
        app.get("/events", ctx -> handle(ctx, t -> operations.events(t.cluster(),
                parseLimit(ctx.queryParam("limit")))));
        app.get("/history", ctx -> handle(ctx, t -> operations.history(t.cluster())));
    }

    private static int parseLimit(String text) {
        if (text == null) {
            return 50;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ClusterOperations.Rejected(400, "limit must be a whole number, got '" + text + "'");
        }
    }

    private void handle(Context ctx, Function<Target, Object> action) {
        String cluster = ctx.queryParam("cluster");
        try {
            Target target;
            if (cluster != null) {
                target = new Stored(operations, operations.existing(cluster));
            } else {
                Optional<Observed> o = observed.apply(ctx);
                if (o.isEmpty()) {
                    ctx.status(503).json(Map.of("error", "this agent has not observed its cluster yet; retry in a "
                            + "moment, or name the cluster with ?cluster="));
                    return;
                }
                target = new Seen(operations, o.get());
            }
            Object result = action.apply(target);
            ctx.status(ctx.method().name().equals("POST") ? 202 : 200).json(result);
        } catch (ClusterOperations.Rejected e) {
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        } catch (StoreException e) {
            ctx.status(503).json(Map.of("error", "the coordination store did not answer (" + e.getMessage()
                    + "); retry, or ask another agent"));
        }
    }
}
