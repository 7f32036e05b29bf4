package io.multiaz.backup;

import java.util.regex.Pattern;

/**
 * The name of one WAL segment file, e.g. {@code 000000020000000000000033}: timeline, log and
 * segment, eight hex digits each. Ordered as PostgreSQL orders them (timeline first).
 *
 * @param name the 24 upper-case hex digits
 */
public record WalSegment(String name) implements Comparable<WalSegment> {
    private static final Pattern NAME = Pattern.compile("[0-9A-F]{24}");

    public WalSegment {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a WAL segment name (24 upper-case hex digits): " + name);
        }
    }

    /** The timeline the segment belongs to. */
    public long timeline() {
        return Long.parseLong(name.substring(0, 8), 16);
    }

    @Override
    public int compareTo(WalSegment o) {
        return name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
