package io.multiaz.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.Collections;
import java.util.UUID;

/**
 * The RDS-compatible HTTP API: {@code POST /} and {@code GET /} in the Query protocol. Each request
 * is held to the {@link RequestLimits} (its body before it is read), verified (Signature Version 4
 * against the deployment's key) before anything is decoded, then parsed within the limits, then
 * answered by {@link RdsActions}; every answer carries a fresh request id in
 * {@code ResponseMetadata} and the {@code x-amzn-RequestId} header. Refusals are RDS's
 * {@code ErrorResponse} with their HTTP status; anything unexpected is {@code InternalFailure} 500,
 * logged with its request id. What the HTTP server refuses itself (a request line or headers over
 * its limits) is answered in the same form ({@link HttpErrors}). Handlers run on Javalin's threads.
 */
public final class RdsApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RdsApiServer.class);

    private final SigV4Verifier verifier;
    private final RdsActions actions;
    private final Clock clock;
    private final RequestLimits limits;
    private final Javalin app;

    public RdsApiServer(AccessKey key, RdsActions actions, Clock clock) {
        this(key, actions, clock, RequestLimits.DEFAULTS);
    }

    /** The API over {@code actions}, refusing requests beyond {@code limits}. */
    public RdsApiServer(AccessKey key, RdsActions actions, Clock clock, RequestLimits limits) {
        this.verifier = new SigV4Verifier(key::secretFor);
        this.actions = actions;
        this.clock = clock;
        this.limits = limits;
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            // Jetty answers common header values from a case-insensitive cache ("charset=utf-8" read as
            // "charset=UTF-8"): the signature covers the bytes the client sent, so keep them exact
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new HttpErrors()));
        });
        app.post("/", this::handle);
        app.get("/", this::handle);
    }

    /** Binds and starts serving ({@code port} 0: any free port, see {@link #port()}); throws if the port is taken. */
    public RdsApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    /** The port it serves on, once started. */
    public int port() {
        return app.port();
    }

    private void handle(Context ctx) {
        String requestId = UUID.randomUUID().toString();
        ctx.header("x-amzn-RequestId", requestId);
        ctx.contentType(RdsXml.CONTENT_TYPE);
        try {
            RawRequest raw = raw(ctx, limits);
            verifier.verify(raw, clock.instant());
            QueryRequest q = QueryRequest.parse(raw, RdsActions.SUPPORTED, limits);
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

    /**
     * The request as it arrived; the body read within {@code limits} (not through Javalin, whose own
     * limit escapes as an exception and reads a chunked body whole).
     */
    private static RawRequest raw(Context ctx, RequestLimits limits) {
        Headers.Builder headers = Headers.builder();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            for (String value : Collections.list(ctx.req().getHeaders(name))) {
                headers.add(name, value);
            }
        }
        byte[] body = new byte[0];
        if (ctx.method() == HandlerType.POST) {
            try {
                body = limits.readBody(ctx.req().getInputStream(), ctx.req().getContentLengthLong());
            } catch (IOException e) {
                // the client went away or sent a broken chunk: nothing of the call was read
                throw new ApiException(RdsFault.INVALID_REQUEST, "The request body could not be read ("
                        + e.getMessage() + "); send it again.");
            }
        }
        return new RawRequest(ctx.method().name(), ctx.req().getRequestURI(), ctx.req().getQueryString(),
                headers.build(), body);
    }

    @Override
    public void close() {
        app.stop();
    }
}
