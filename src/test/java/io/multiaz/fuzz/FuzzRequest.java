package io.multiaz.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One generated call in the Query protocol: the action, its parameters as the wire names them
 * ({@code Tags.Tag.1.Key}), how it is sent, and the mutations that made it. {@code rawTail} is
 * appended to the encoded form as it is (to send what no encoder would: a broken escape, bytes that
 * are not UTF-8); a request with one goes as a POST. Immutable.
 *
 * @param viaGet    the parameters go in the query string of a GET instead of a POST body
 * @param mutations what was done to the generated request, in order, for the report
 */
public record FuzzRequest(String action, String version, List<Param> params, String rawTail, boolean viaGet,
                          List<String> mutations) {
    public FuzzRequest {
        Objects.requireNonNull(action, "action");
        params = List.copyOf(params);
        rawTail = rawTail == null ? "" : rawTail;
        mutations = List.copyOf(mutations);
    }

    /**
     * One {@code name=value} pair; {@code leaf} says which member of the model it serializes (null
     * for pairs the fuzzer added from nowhere).
     */
    public record Param(String name, String value, Leaf leaf) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        Param withValue(String newValue) {
            return new Param(name, newValue, leaf);
        }

        Param withName(String newName) {
            return new Param(newName, value, leaf);
        }
    }

    /**
     * The model member a pair serializes: its hint key ({@code DBClusterIdentifier},
     * {@code Tag.Key}, {@code AvailabilityZones}) and its scalar shape.
     */
    public record Leaf(String key, ServiceModel.Shape shape) {
    }

    FuzzRequest withParams(List<Param> newParams, String mutation) {
        List<String> done = new ArrayList<>(mutations);
        done.add(mutation);
        return new FuzzRequest(action, version, newParams, rawTail, viaGet, done);
    }

    FuzzRequest withRawTail(String tail, String mutation) {
        List<String> done = new ArrayList<>(mutations);
        done.add(mutation);
        return new FuzzRequest(action, version, params, tail, false, done);
    }

    FuzzRequest viaGet(boolean get) {
        return new FuzzRequest(action, version, params, rawTail, get && rawTail.isEmpty(), mutations);
    }

    /** {@code Action=…&Version=…&name=value…} percent-encoded as RFC 3986 says (what SigV4 canonicalizes to), then {@link #rawTail}. */
    public String form() {
        StringBuilder out = new StringBuilder(64 + params.size() * 32);
        out.append("Action=").append(encode(action)).append("&Version=").append(encode(version));
        for (Param p : params) {
            out.append('&').append(encode(p.name())).append('=').append(encode(p.value()));
        }
        return out.append(rawTail).toString();
    }

    /** A one-line account for the report: action, mutations, and the pairs shortened. */
    public String describe(int maxChars) {
        StringBuilder out = new StringBuilder(action).append(' ').append(mutations).append(viaGet ? " GET" : " POST");
        for (Param p : params) {
            if (out.length() > maxChars) {
                out.append(" …");
                break;
            }
            out.append(' ').append(p.name()).append('=').append(Text.visible(p.value(), 40));
        }
        if (!rawTail.isEmpty()) {
            out.append(" +raw ").append(Text.visible(rawTail, 40));
        }
        return out.toString();
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
