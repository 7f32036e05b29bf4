package io.multiaz.agent.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.multiaz.config.OperatorToken;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Guards an agent's HTTP API: a request that changes something (any method but GET and HEAD:
 * switchover, failover, pause, resume, restart) must present the deployment's {@link OperatorToken}
 * as {@code Authorization: Bearer <token>}, or is answered 401 with a JSON error saying where the
 * token is. GETs stay open: HAProxy's health checks ({@code /primary}, {@code /replica},
 * {@code /health}) and the reads ({@code /cluster}, {@code /endpoints}, {@code /events},
 * {@code /history}) expose no secret, as Patroni leaves its safe endpoints open.
 *
 * <p>An agent whose layout has no token (written before tokens existed) refuses every guarded
 * request until {@code multiaz up} adds one; it never serves them open. Called on Javalin's threads;
 * {@code token} is asked on every guarded request and must be thread-safe.
 */
public final class OperatorAuth {
    private final Supplier<Optional<OperatorToken>> token;
    private final Path layoutFile;

    /**
     * @param token      the deployment's token; empty while its layout has none
     * @param layoutFile where the token lives, named in the refusals
     */
    public OperatorAuth(Supplier<Optional<OperatorToken>> token, Path layoutFile) {
        this.token = token;
        this.layoutFile = layoutFile;
    }

    /**
     * Lets {@code ctx} through, or answers it 401 and skips its remaining handlers. Registered as a
     * before-matched handler, so unknown paths still answer 404.
     */
    void check(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            return;
        }
        Optional<OperatorToken> expected = token.get();
        String refusal;
        if (expected.isEmpty()) {
            refusal = "this agent has no operator token, so it refuses " + ctx.method() + " " + ctx.path()
                    + "; run 'multiaz up' for this state directory (it adds operatorToken to " + layoutFile
                    + "), then retry";
        } else if (expected.get().presentedIn(ctx.header(OperatorToken.HEADER))) {
            return;
        } else {
            refusal = ctx.method() + " " + ctx.path() + " needs the deployment's operator token: run the multiaz CLI"
                    + " on a host with the state directory, or send 'Authorization: Bearer <token>' with the"
                    + " operatorToken of " + layoutFile;
        }
        ctx.header("WWW-Authenticate", "Bearer realm=\"multiaz\"");
        ctx.status(401).json(Map.of("error", refusal));
        ctx.skipRemainingHandlers();
    }
}
