package io.multiaz.model;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The database roles multiaz creates: the internal superuser the agents use, the replication role,
 * and the master user handed to the cluster's owner. Passwords are generated, never defaults.
 */
public record Credentials(String superuser, String superuserPassword,
                          String replicationUser, String replicationPassword,
                          String masterUser, String masterPassword) {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public Credentials {
        Objects.requireNonNull(superuser, "superuser");
        Objects.requireNonNull(superuserPassword, "superuserPassword");
        Objects.requireNonNull(replicationUser, "replicationUser");
        Objects.requireNonNull(replicationPassword, "replicationPassword");
        Objects.requireNonNull(masterUser, "masterUser");
        Objects.requireNonNull(masterPassword, "masterPassword");
    }

    /** New credentials with random 24-character passwords for the given master user. */
    public static Credentials generate(String masterUser, SecureRandom random) {
        return new Credentials("multiaz_admin", password(random), "replicator", password(random),
                masterUser, password(random));
    }

    static String password(SecureRandom random) {
        StringBuilder sb = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
