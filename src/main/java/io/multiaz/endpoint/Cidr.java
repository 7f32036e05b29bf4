package io.multiaz.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 network in CIDR notation ({@code 127.0.0.0/8}), as security-group rules name them.
 *
 * @param network the network address (host bits zero)
 * @param prefix  0-32
 */
public record Cidr(int network, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0-32, got " + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException(text(network) + "/" + prefix + " has host bits set; use "
                    + text(network & mask(prefix)) + "/" + prefix);
        }
    }

    /** Parses {@code a.b.c.d/n} or a single address {@code a.b.c.d} (= /32). */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        int prefix;
        try {
            prefix = slash < 0 ? 32 : Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block such as 127.0.0.0/8");
        }
        String[] parts = address.split("\\.", -1); // -1 keeps a trailing empty part: "10.0.0.0." is no address
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR block such as 127.0.0.0/8");
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a CIDR block such as 127.0.0.0/8");
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet outside 0-255");
            }
            value = (value << 8) | octet;
        }
        return new Cidr(value, prefix);
    }

    public boolean contains(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return false;
        }
        byte[] b = address.getAddress();
        int value = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return (value & mask(prefix)) == network;
    }

    /** The {@code n}-th address of this network (0 = the network address). */
    public InetAddress address(int n) {
        int value = network + n;
        try {
            return InetAddress.getByAddress(new byte[]{(byte) (value >>> 24), (byte) (value >>> 16),
                    (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public int size() {
        return prefix <= 1 ? Integer.MAX_VALUE : 1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static String text(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }
}
