package io.multiaz.config;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 12, security: the operator token's form, its check, and that it does not print. */
final class OperatorTokenTest {
    private final OperatorToken token = OperatorToken.generate(new SecureRandom());

    @Test
    void generate_32RandomBytes_base64UrlWithoutPadding() {
        assertThat(token.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(OperatorToken.generate(new SecureRandom())).isNotEqualTo(token);
    }

    @Test
    void presentedIn_bearerHeader_matchesOnlyThisToken() {
        assertThat(token.presentedIn(token.bearer())).isTrue();
        assertThat(token.presentedIn("bearer " + token.value())).as("the scheme is case-insensitive").isTrue();
        assertThat(token.presentedIn(null)).isFalse();
        assertThat(token.presentedIn(token.value())).as("no scheme").isFalse();
        assertThat(token.presentedIn("Basic " + token.value())).isFalse();
        assertThat(token.presentedIn("Bearer " + token.value() + "x")).isFalse();
        assertThat(token.presentedIn("Bearer ")).isFalse();
        assertThat(token.presentedIn(OperatorToken.generate(new SecureRandom()).bearer())).isFalse();
    }

    @Test
    void toString_hidesTheValue() {
        assertThat(token.toString()).doesNotContain(token.value());
    }

    @Test
    void constructor_shortValue_refusedSayingHowToGetANewOne() {
        assertThatThrownBy(() -> new OperatorToken("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiaz up");
    }
}
