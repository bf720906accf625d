package org.vco4j.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 64-bit hash of a seed and a key that is the same on every JVM and platform (unlike
 * {@link String#hashCode}, which is weak, and {@code Objects.hash}, which is not specified across versions):
 * the first eight bytes of SHA-256 over the seed's eight bytes and the key's UTF-8 bytes.
 */
public final class SeededHash {
    private SeededHash() {}

    public static long of(long seed, String key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
        sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
        return ByteBuffer.wrap(sha256.digest(key.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}
