package io.multiaz.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The answers of the HTTP server itself, for requests it refuses before the API sees them (a
 * request line over its limit, headers over theirs, a request that is not HTTP as sent): RDS's
 * {@code ErrorResponse} with a request id, as every other answer, instead of Jetty's HTML page.
 * Jetty calls it on its I/O threads; stateless.
 */
final class HttpErrors extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String requestId = UUID.randomUUID().toString();
        fields.put(HttpHeader.CONTENT_TYPE, RdsXml.CONTENT_TYPE);
        fields.put("x-amzn-RequestId", requestId);
        return ByteBuffer.wrap(document(status, reason, requestId));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String requestId = UUID.randomUUID().toString();
        response.setContentType(RdsXml.CONTENT_TYPE);
        response.setHeader("x-amzn-RequestId", requestId);
        Object message = request.getAttribute("jakarta.servlet.error.message");
        response.getOutputStream().write(document(response.getStatus(),
                message == null ? null : message.toString(), requestId));
        baseRequest.setHandled(true);
    }

    /** The fault for a status Jetty answers with. */
    static RdsFault fault(int status) {
        return switch (status) {
            case 413 -> RdsFault.REQUEST_ENTITY_TOO_LARGE;
            case 414 -> RdsFault.REQUEST_URI_TOO_LONG;
            case 431 -> RdsFault.REQUEST_HEADER_FIELDS_TOO_LARGE;
            default -> status >= 500 ? RdsFault.INTERNAL_FAILURE : RdsFault.INVALID_REQUEST;
        };
    }

    private static byte[] document(int status, String reason, String requestId) {
        String why = reason == null || reason.isBlank() ? "HTTP " + status : reason;
        ApiException e = new ApiException(fault(status), "The HTTP server refused the request before reading it ("
                + why + "). Send a smaller request: the query string and headers take at most 8 KiB, the body "
                + RequestLimits.DEFAULTS.maxBodyBytes() + " bytes.");
        return RdsXml.error(e, requestId).getBytes(StandardCharsets.UTF_8);
    }
}
