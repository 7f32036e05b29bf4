package io.multiaz.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collections;
import java.util.UUID;

/**
 * The RDS-compatible HTTP API: {@code POST /} and {@code GET /} in the Query protocol. Each request
 * is verified (Signature Version 4 against the deployment's key) before anything is decoded,
 * then parsed, then answered by {@link RdsActions}; every answer carries a fresh request id in
 * {@code ResponseMetadata} and the {@code x-amzn-RequestId} header. Refusals are RDS's
 * {@code ErrorResponse} with their HTTP status; anything unexpected is {@code InternalFailure} 500,
 * logged with its request id. Handlers run on Javalin's threads.
 */
public final class RdsApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RdsApiServer.class);

    private final SigV4Verifier verifier;
    private final RdsActions actions;
    private final Clock clock;
    private final Javalin app;

    public RdsApiServer(AccessKey key, RdsActions actions, Clock clock) {
        this.verifier = new SigV4Verifier(key::secretFor);
        this.actions = actions;
        this.clock = clock;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Jetty answers common header values from a case-insensitive cache ("charset=utf-8" read as
            // "charset=UTF-8"): the signature covers the bytes the client sent, so keep them exact
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
        });
        app.post("/", this::handle);
        app.get("/", this::handle);
    }

    /** Binds and starts serving; throws if the port is taken. */
    public RdsApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    private void handle(Context ctx) {
        String requestId = UUID.randomUUID().toString();
        ctx.header("x-amzn-RequestId", requestId);
        ctx.contentType(RdsXml.CONTENT_TYPE);
        try {
            RawRequest raw = raw(ctx);
            verifier.verify(raw, clock.instant());
            QueryRequest q = QueryRequest.parse(raw, RdsActions.SUPPORTED);
            ctx.status(200).result(actions.answer(q, requestId));
        } catch (ApiException e) {
            LOG.debug("request {} refused: {}", requestId, e.toString());
            ctx.status(e.httpStatus()).result(RdsXml.error(e, requestId));
        } catch (RuntimeException e) {
            LOG.error("request {} failed unexpectedly; answering InternalFailure", requestId, e);
            ApiException failure = new ApiException(RdsFault.INTERNAL_FAILURE, "The request " + requestId
                    + " failed inside multiaz (" + e.getClass().getSimpleName() + "); check the agent log for"
                    + " this request id, then retry.");
            ctx.status(failure.httpStatus()).result(RdsXml.error(failure, requestId));
        }
    }

    private static RawRequest raw(Context ctx) {
        Headers.Builder headers = Headers.builder();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                headers.add(name, value);
            }
        }
        byte[] body = ctx.method() == HandlerType.POST ? ctx.bodyAsBytes() : new byte[0];
        return new RawRequest(ctx.method().name(), ctx.req().getRequestURI(), ctx.req().getQueryString(),
                headers.build(), body);
    }

    @Override
    public void close() {
        app.stop();
    }
}
