package io.multiaz.model;

/**
 * A PostgreSQL write-ahead log position (pg_lsn). Ordered; printed and parsed in PostgreSQL's
 * {@code X/Y} form so that values read from the server, stored and shown agree.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    public static final Lsn ZERO = new Lsn(0);

    public Lsn {
        if (value < 0) {
            throw new IllegalArgumentException("an LSN is never negative: " + value);
        }
    }

    /** Parses {@code "16/B374D848"}; throws IllegalArgumentException with the offending text. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an LSN is required, got nothing");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hex): " + text);
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            if (high > 0xFFFFFFFFL || low > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("LSN part out of range: " + text);
            }
            return new Lsn((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected X/Y in hex): " + text, e);
        }
    }

    /** Bytes from {@code other} up to this position; zero when {@code other} is ahead. */
    public long bytesAfter(Lsn other) {
        return Math.max(0, value - other.value);
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    public boolean isAfter(Lsn o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
