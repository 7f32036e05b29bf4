package io.multiaz.endpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class CidrTest {

    @Test
    void parse_block_keepsNetworkAndPrefix() {
        Cidr cidr = Cidr.parse("10.1.0.0/16");

        assertThat(cidr.network()).isEqualTo(0x0A010000);
        assertThat(cidr.prefix()).isEqualTo(16);
        assertThat(cidr).hasToString("10.1.0.0/16");
    }

    @Test
    void parse_singleAddress_isSlash32() {
        assertThat(Cidr.parse(" 192.168.1.7 ")).isEqualTo(new Cidr(0xC0A80107, 32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "10.0.0/8", "10.0.0.0.0/8", "10.0.0.x/8", "10.0.0.0/", "10.0.0.0/x",
            "10.0.0.0/8/8", "10.0.0.0./8", ".10.0.0.0/8"})
    void parse_notACidr_throwsWithExample(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("such as 127.0.0.0/8");
    }

    @Test
    void parse_octetAbove255_throws() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.256/32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0-255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1"})
    void parse_prefixOutOfRange_throws(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix must be 0-32");
    }

    @Test
    void parse_hostBitsSet_throwsNamingTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/16"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits set")
                .hasMessageContaining("use 10.1.0.0/16");
    }

    @Test
    void contains_slash0_admitsEveryIpv4AddressButNoIpv6() throws UnknownHostException {
        Cidr any = Cidr.parse("0.0.0.0/0");

        assertThat(any.contains(ip("0.0.0.0"))).isTrue();
        assertThat(any.contains(ip("127.0.0.1"))).isTrue();
        assertThat(any.contains(ip("255.255.255.255"))).isTrue();
        assertThat(any.contains(ip("::1"))).isFalse();
    }

    @Test
    void contains_slash32_admitsOnlyThatAddress() throws UnknownHostException {
        Cidr one = Cidr.parse("10.0.0.5/32");

        assertThat(one.contains(ip("10.0.0.5"))).isTrue();
        assertThat(one.contains(ip("10.0.0.4"))).isFalse();
        assertThat(one.contains(ip("10.0.0.6"))).isFalse();
    }

    @Test
    void contains_block_admitsItsFirstAndLastAddressOnly() throws UnknownHostException {
        Cidr block = Cidr.parse("172.16.0.0/12");

        assertThat(block.contains(ip("172.16.0.0"))).isTrue();
        assertThat(block.contains(ip("172.31.255.255"))).isTrue();
        assertThat(block.contains(ip("172.15.255.255"))).isFalse();
        assertThat(block.contains(ip("172.32.0.0"))).isFalse();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
