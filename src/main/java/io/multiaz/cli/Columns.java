package io.multiaz.cli;

import java.util.stream.Stream;

/** Widths of the CLI's table columns, so that long names (the API's instances) keep the columns aligned. */
final class Columns {
    private Columns() {
    }

    /** The longest of {@code values}, at least {@code min}. */
    static int width(int min, Stream<String> values) {
        return Math.max(min, values.mapToInt(String::length).max().orElse(0));
    }
}
