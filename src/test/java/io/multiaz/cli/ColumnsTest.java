package io.multiaz.cli;

import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 20: the API's instance names (orders-instance-1) are longer than the demo's; the columns widen. */
final class ColumnsTest {
    @Test
    void width_longestValueOrTheMinimum() {
        assertThat(Columns.width(10, Stream.of("demo-1", "demo-2"))).isEqualTo(10);
        assertThat(Columns.width(10, Stream.of("demo-1", "orders-instance-1"))).isEqualTo(17);
        assertThat(Columns.width(10, Stream.empty())).isEqualTo(10);
    }
}
