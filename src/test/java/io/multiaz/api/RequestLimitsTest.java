package io.multiaz.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class RequestLimitsTest {
    private final RequestLimits limits = new RequestLimits(10, 5, 3, 16, 8);

    @Test
    void readBody_declaredOverTheLimit_refusedBeforeReading() {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertThatThrownBy(() -> limits.readBody(never, 11))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.fault()).isEqualTo(RdsFault.REQUEST_ENTITY_TOO_LARGE);
                    assertThat(e.httpStatus()).isEqualTo(413);
                })
                .hasMessageContaining("has 11 bytes; at most 10");
    }

    @Test
    void readBody_undeclaredAndLonger_refusedAfterOneByteTooMany() {
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[1000]);

        assertThatThrownBy(() -> limits.readBody(body, -1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(413));
        assertThat(body.available()).isEqualTo(1000 - 11);
    }

    @Test
    void readBody_atTheLimit_readWhole() throws Exception {
        assertThat(limits.readBody(new ByteArrayInputStream(new byte[10]), -1)).hasSize(10);
    }

    @Test
    void checkCount_emptySegmentsNotCounted() {
        limits.checkCount("a=1&&b=2&", "c=3&d=4&e=5".getBytes());

        assertThatThrownBy(() -> limits.checkCount("a=1", "b&c&d&e&f".getBytes()))
                .hasMessageContaining("has 6 parameters; at most 5");
    }

    @Test
    void textProblem_saysWhichCharacterAndWhere() {
        assertThat(RequestLimits.textProblem("ok: é 中 \uD83D\uDE00 ' \" \\ %")).isEmpty();
        assertThat(RequestLimits.textProblem("ab\ncd")).hasValue("contains U+000A (a line break) at position 3");
        assertThat(RequestLimits.textProblem("\0")).hasValue("contains U+0000 (NUL) at position 1");
        assertThat(RequestLimits.textProblem("x\u009b")).hasValue("contains U+009B at position 2");
        assertThat(RequestLimits.textProblem("\uD83D")).hasValue("contains U+D83D at position 1");
        assertThat(RequestLimits.textProblem("\uDE00x")).hasValue("contains U+DE00 at position 1");
        assertThat(RequestLimits.textProblem("\uFFFF")).hasValue("contains U+FFFF at position 1");
    }

    @Test
    void checkParameter_listIndexWithinTheLimit_passes() {
        limits.checkParameter("Tags.Tag.3.Key", "k");

        assertThatThrownBy(() -> limits.checkParameter("Tags.Tag.4.Key", "k")).hasMessageContaining("list index 4");
        assertThatThrownBy(() -> limits.checkParameter("Tags.Tag.0.Key", "k")).hasMessageContaining("list index 0");
        assertThatThrownBy(() -> limits.checkParameter("Marker", "123456789")).hasMessageContaining("has 9 characters");
    }
}
