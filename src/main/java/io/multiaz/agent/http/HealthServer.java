package io.multiaz.agent.http;

import io.multiaz.model.ClusterOverview;
import io.multiaz.model.ClusterReport;
import io.multiaz.model.ClusterSnapshot;
import io.multiaz.model.ClusterSpec;
import io.multiaz.store.StoreException;
import io.multiaz.agent.ha.ClusterOperations;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.multiaz.agent.ha.InstanceSupervisor;
import io.multiaz.agent.ha.InstanceSupervisor.Observed;
import io.multiaz.json.Json;
import io.multiaz.model.Role;
import io.multiaz.model.ServerState;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's HTTP health API, following Patroni's conventions so HAProxy checks work unchanged:
 * {@code GET /primary} is 200 only on the writer holding the lease, {@code GET /replica} only on a
 * streaming standby ({@code ?lag=} bounds the lag, in bytes or with kB/MB/GB), {@code GET /health}
 * when the server runs, {@code GET /cluster} lists every member. Other answers are 503 with the
 * member's state as the body. {@code ?instance=} and {@code ?cluster=} pick an instance when the
 * agent runs several; {@code GET /cluster?cluster=NAME} answers from the store for a cluster with no
 * instance here. {@code GET /clusters} lists every cluster of the deployment ({@link ClusterOverview}),
 * {@code GET /endpoints?cluster=NAME} a cluster's endpoint routes (the demo cluster's without it),
 * {@code GET /backups?cluster=NAME} its backup status (archiving, restorable window, backups).
 * The routes that change something need the operator token ({@link OperatorAuth}); the GETs are open.
 *
 * <p>Handlers run on Javalin's threads and only read the supervisors' latest observations.
 */
public final class HealthServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthServer.class);
    /** How long a restart request waits for the instance's HA loop to publish that it is restarting. */
    private static final java.time.Duration RESTART_ANNOUNCE_TIMEOUT = java.time.Duration.ofSeconds(3);
    private final Supplier<List<InstanceSupervisor>> supervisors;
    private final ClusterOperations operations;
    private final Javalin app;
    private volatile Function<String, Object> endpoints = cluster -> Map.of("owner", false);
    private volatile Function<String, Object> backups = cluster -> Map.of();
    private volatile Function<ClusterSpec, ClusterOverview.EndpointHosts> endpointHosts = spec -> null;

    /** Without the operator API; {@code auth} guards the restart route. */
    public HealthServer(Supplier<List<InstanceSupervisor>> supervisors, OperatorAuth auth) {
        this(supervisors, null, auth);
    }

    /**
     * With {@code operations} non-null, also serves the operator API (switchover, failover, pause,
     * events). {@code auth} guards every route but the GETs (see {@link OperatorAuth}).
     */
    public HealthServer(Supplier<List<InstanceSupervisor>> supervisors, ClusterOperations operations,
                        OperatorAuth auth) {
        this.supervisors = supervisors;
        this.operations = operations;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
        });
        app.beforeMatched(auth::check);
        app.get("/primary", ctx -> answer(ctx, this::isPrimary));
        app.get("/master", ctx -> answer(ctx, this::isPrimary));
        app.get("/read-write", ctx -> answer(ctx, this::isPrimary));
        app.get("/replica", ctx -> answer(ctx, o -> isReplica(o, lagBound(ctx))));
        app.get("/read-only", ctx -> answer(ctx, o -> isPrimary(o) || isReplica(o, Long.MAX_VALUE)));
        app.get("/health", ctx -> answer(ctx, o -> o.published().state() == ServerState.RUNNING));
        app.get("/cluster", this::cluster);
        app.get("/endpoints", ctx -> ctx.json(endpoints.apply(ctx.queryParam("cluster"))));
        app.get("/backups", ctx -> ctx.json(backups.apply(ctx.queryParam("cluster"))));
        app.post("/instances/{instance}/restart", this::restart);
        app.get("/", ctx -> answer(ctx, o -> true));
        if (operations != null) {
            app.get("/clusters", this::clusters);
            new OperationsRoutes(operations, this::observed).register(app);
        }
    }

    /**
     * What {@code GET /endpoints?cluster=NAME} answers: the routes and counters of the cluster's
     * endpoints if this agent owns them; {@code report} gets the name, or null for the demo cluster.
     */
    public void endpoints(Function<String, Object> report) {
        this.endpoints = report;
    }

    /**
     * What {@code GET /backups?cluster=NAME} answers: the cluster's backup status as its owner last
     * published it ({@code {}} before it did); {@code status} gets the name, or null for the demo cluster.
     */
    public void backups(Function<String, Object> status) {
        this.backups = status;
    }

    /** How {@code GET /clusters} finds a cluster's endpoint addresses (the agent knows the endpoint block). */
    public void endpointHosts(Function<ClusterSpec, ClusterOverview.EndpointHosts> hosts) {
        this.endpointHosts = hosts;
    }

    /** Binds and starts serving; throws if the port is taken. Port 0 picks a free one ({@link #port()}). */
    public HealthServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** The port it serves on, once started. */
    public int port() {
        return app.port();
    }

    private boolean isPrimary(Observed o) {
        return o.view().iHoldLease() && o.published().role() == Role.WRITER
                && o.published().state() == ServerState.RUNNING;
    }

    private boolean isReplica(Observed o, long maxLag) {
        if (o.published().role() != Role.READER || o.published().state() != ServerState.RUNNING
                || !o.published().streaming()) {
            return false;
        }
        return lagOf(o) <= maxLag;
    }

    private static long lagOf(Observed o) {
        long lag = o.published().lagBytes();
        return lag < 0 ? Long.MAX_VALUE : lag;
    }

    private void answer(Context ctx, java.util.function.Predicate<Observed> healthy) {
        Optional<Observed> o = pick(ctx).flatMap(InstanceSupervisor::latest);
        if (o.isEmpty()) {
            ctx.status(503).json(Map.of("error", "no instance observed yet on this agent; retry in a moment"));
            return;
        }
        ctx.status(healthy.test(o.get()) ? 200 : 503).json(o.get().published());
    }

    private void cluster(Context ctx) {
        Optional<Observed> o = pick(ctx).flatMap(InstanceSupervisor::latest);
        String named = ctx.queryParam("cluster");
        if (o.isEmpty() && named != null && operations != null && ctx.queryParam("instance") == null) {
            fromStore(ctx, named);
            return;
        }
        if (o.isEmpty()) {
            ctx.status(503).json(Map.of("error", "no instance observed yet on this agent; retry in a moment"));
            return;
        }
        // the store as it is now (a pause or a request shows at once), with my record as just published;
        // the last cycle's view when the store does not answer
        Optional<io.multiaz.model.ClusterSnapshot> fresh = operations == null ? Optional.empty()
                : operations.snapshot(o.get().view().spec().name());
        ctx.json(fresh.map(s -> report(o.get(), s)).orElseGet(() -> report(o.get())));
    }

    /** {@code GET /cluster?cluster=NAME} of a cluster with no instance observed here: as the store has it. */
    private void fromStore(Context ctx, String cluster) {
        try {
            ClusterSnapshot s = operations.existing(cluster);
            ctx.json(ClusterReport.of(s.spec().orElseThrow(), s));
        } catch (ClusterOperations.Rejected e) {
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        } catch (StoreException e) {
            ctx.status(503).json(Map.of("error", "the coordination store did not answer (" + e.getMessage()
                    + "); retry, or ask another agent"));
        }
    }

    /** {@code GET /clusters}: every cluster as the store has it now, with its endpoint addresses. */
    private void clusters(Context ctx) {
        try {
            ctx.json(operations.all().stream().map(s -> {
                ClusterSpec spec = s.spec().orElseThrow();
                return new ClusterOverview(ClusterReport.of(spec, s), endpointHosts.apply(spec),
                        spec.credentials().masterUser(), spec.databaseName());
            }).toList());
        } catch (StoreException e) {
            ctx.status(503).json(Map.of("error", "the coordination store did not answer (" + e.getMessage()
                    + "); retry, or ask another agent"));
        }
    }

    /** The cluster as {@code s} has it, with the observing instance's own record as just published. */
    private static ClusterReport report(Observed o, io.multiaz.model.ClusterSnapshot s) {
        var spec = s.spec().orElse(o.view().spec());
        var snapshot = new io.multiaz.model.ClusterSnapshot(Optional.of(spec), s.bootstrap(), s.lease(), s.fence(),
                withMine(s.members(), o), s.request(), s.paused());
        return ClusterReport.of(spec, snapshot);
    }

    /** The cluster as {@code o}'s last cycle saw it, with the observing instance's own record as just published. */
    public static ClusterReport report(Observed o) {
        var view = o.view();
        return report(o, new io.multiaz.model.ClusterSnapshot(Optional.of(view.spec()), view.bootstrap(), view.lease(),
                view.fence(), view.members(), view.request(), view.paused()));
    }

    private static Map<String, io.multiaz.model.MemberState> withMine(Map<String, io.multiaz.model.MemberState> members,
                                                                      Observed o) {
        var copy = new java.util.HashMap<>(members);
        copy.put(o.published().name(), o.published());
        return copy;
    }

    /** The latest observation of the instance {@code ctx} picks, if any. */
    public Optional<Observed> observed(Context ctx) {
        return pick(ctx).flatMap(InstanceSupervisor::latest);
    }

    /** Restarts an instance's server (RebootDBInstance): its HA loop stops it cleanly and starts it again. */
    private void restart(Context ctx) {
        String name = ctx.pathParam("instance");
        Optional<InstanceSupervisor> s = supervisors.get().stream().filter(x -> x.instance().equals(name)).findFirst();
        if (s.isEmpty()) {
            ctx.status(404).json(java.util.Map.of("error", "this agent runs no instance " + name
                    + "; ask the agent of its zone"));
            return;
        }
        try {
            // answered once the agent has published "restarting", so a describe right after says "rebooting"
            s.get().requestRestart().get(RESTART_ANNOUNCE_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.info("restart of {} requested; its HA loop has not published it within {}", name,
                    RESTART_ANNOUNCE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.status(202).json(java.util.Map.of("instance", name, "restart", "requested"));
    }

    private Optional<InstanceSupervisor> pick(Context ctx) {
        String wanted = ctx.queryParam("instance");
        String cluster = ctx.queryParam("cluster");
        return supervisors.get().stream()
                .filter(s -> wanted == null || s.instance().equals(wanted))
                .filter(s -> cluster == null || s.cluster().equals(cluster))
                .findFirst();
    }

    /** Parses {@code ?lag=}: bytes, or a number with kB, MB or GB; absent means unbounded. */
    public static long lagBound(Context ctx) {
        String lag = ctx.queryParam("lag");
        return lag == null ? Long.MAX_VALUE : parseBytes(lag);
    }

    public static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("kb")) {
            unit = 1024;
        } else if (t.endsWith("mb")) {
            unit = 1024 * 1024;
        } else if (t.endsWith("gb")) {
            unit = 1024L * 1024 * 1024;
        }
        String digits = unit == 1 ? t.replaceAll("b$", "") : t.substring(0, t.length() - 2);
        try {
            return Math.multiplyExact(Long.parseLong(digits.trim()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new io.javalin.http.BadRequestResponse("lag must be bytes or a number with kB, MB or GB, got '"
                    + text + "'");
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
