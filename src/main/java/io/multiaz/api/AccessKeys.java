package io.multiaz.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates the API's access key and writes it as the AWS CLI profile {@value #PROFILE}: a
 * {@code credentials} and a {@code config} file in one directory (pointed at with
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}), each replaced atomically with
 * mode 0600 so no reader ever sees half a file or another user the secret.
 */
public final class AccessKeys {
    public static final String PROFILE = "multiaz";
    public static final String REGION = "local-1";

    /** The base32 alphabet AWS access key ids are drawn from. */
    private static final char[] ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int ID_RANDOM_CHARS = 16;
    /** 30 random bytes are exactly 40 base64 characters, the length of an AWS secret access key. */
    private static final int SECRET_BYTES = 30;

    private AccessKeys() {
    }

    /**
     * A new key pair: {@code AKIA} and 16 characters of the base32 alphabet (80 random bits), and
     * a 40-character secret of 240 random bits in the base64 alphabet, as AWS's look.
     */
    public static AccessKey generate(SecureRandom random) {
        StringBuilder id = new StringBuilder("AKIA");
        for (int i = 0; i < ID_RANDOM_CHARS; i++) {
            id.append(ID_ALPHABET[random.nextInt(ID_ALPHABET.length)]);
        }
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new AccessKey(id.toString(), Base64.getEncoder().encodeToString(secret));
    }

    /**
     * Writes {@code dir/credentials} ({@code [multiaz]} with the key) and {@code dir/config}
     * ({@code [profile multiaz]}, region {@value #REGION}, JSON output), creating {@code dir}
     * with mode 0700 when absent. Each file is replaced whole: these files belong to multiaz.
     */
    public static void writeAwsCliProfile(Path dir, AccessKey key) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage()
                    + " (check that the state directory is writable)", e);
        }
        writePrivate(dir.resolve("credentials"), "[" + PROFILE + "]\n"
                + "aws_access_key_id = " + key.accessKeyId() + "\n"
                + "aws_secret_access_key = " + key.secretAccessKey() + "\n");
        writePrivate(dir.resolve("config"), "[profile " + PROFILE + "]\n"
                + "region = " + REGION + "\n"
                + "output = json\n");
    }

    /** Replaces {@code file} atomically (temp file with mode 0600, fsync, rename). */
    private static void writePrivate(Path file, String content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage()
                    + " (check that the state directory is writable)", e);
        }
    }
}
