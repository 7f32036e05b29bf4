package io.multiaz.api;

import java.util.Objects;

/**
 * An HTTP request to the API exactly as it arrived, before anything is decoded: what both
 * {@link SigV4Verifier} (which must see the bytes the client signed) and {@link QueryRequest} read.
 *
 * @param method   the HTTP method, upper case ({@code POST}, {@code GET})
 * @param rawPath  the path as sent, still percent-encoded ({@code /} for the API)
 * @param rawQuery the query string as sent, without the {@code ?}, still percent-encoded; empty
 *                 when there is none
 * @param headers  the headers as sent
 * @param body     the body bytes; empty when there is none. Not copied: the caller hands it over
 */
public record RawRequest(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
    public RawRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        rawPath = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body == null ? new byte[0] : body;
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + " (" + body.length + " bytes)";
    }
}
