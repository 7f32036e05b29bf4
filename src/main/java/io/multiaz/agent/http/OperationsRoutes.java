package io.multiaz.agent.http;

import io.multiaz.agent.ha.ClusterOperations;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.multiaz.agent.ha.InstanceSupervisor.Observed;
import io.multiaz.model.OperatorRequest;
import io.multiaz.store.StoreException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's operator routes: {@code POST /switchover?to=}, {@code POST /failover?to=&force=},
 * {@code POST /pause}, {@code POST /resume}, {@code GET /events?limit=}, {@code GET /history}.
 * Answers JSON; refusals are 400 or 409 with {@code {"error": "..."}} saying what to do. The POSTs
 * need the operator token: {@link HealthServer} guards them with {@link OperatorAuth} (401 without).
 */
public final class OperationsRoutes {
    private final ClusterOperations operations;
    private final Function<Context, Optional<Observed>> observed;

    public OperationsRoutes(ClusterOperations operations, Function<Context, Optional<Observed>> observed) {
        this.operations = operations;
        this.observed = observed;
    }

    public void register(Javalin app) {
        app.post("/switchover", ctx -> handle(ctx, o -> operations.request(o, OperatorRequest.Kind.SWITCHOVER,
                ctx.queryParam("to"), false)));
        app.post("/failover", ctx -> handle(ctx, o -> operations.request(o, OperatorRequest.Kind.FAILOVER,
                ctx.queryParam("to"), "true".equals(ctx.queryParam("force")))));
        app.post("/pause", ctx -> handle(ctx, o -> {
            operations.setPaused(o.view().spec().name(), true);
            return Map.of("paused", true);
        }));
        app.post("/resume", ctx -> handle(ctx, o -> {
            operations.setPaused(o.view().spec().name(), false);
            return Map.of("paused", false);
        }));
        app.get("/events", ctx -> handle(ctx, o -> operations.events(o.view().spec().name(),
                parseLimit(ctx.queryParam("limit")))));
        app.get("/history", ctx -> handle(ctx, o -> operations.history(o.view().spec().name())));
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

    private void handle(Context ctx, Function<Observed, Object> action) {
        Optional<Observed> o = observed.apply(ctx);
        if (o.isEmpty()) {
            ctx.status(503).json(Map.of("error", "this agent has not observed its cluster yet; retry in a moment"));
            return;
        }
        try {
            Object result = action.apply(o.get());
            ctx.status(ctx.method().name().equals("POST") ? 202 : 200).json(result);
        } catch (ClusterOperations.Rejected e) {
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        } catch (StoreException e) {
            ctx.status(503).json(Map.of("error", "the coordination store did not answer (" + e.getMessage()
                    + "); retry, or ask another agent"));
        }
    }
}
