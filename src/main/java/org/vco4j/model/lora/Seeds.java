package org.vco4j.model.lora;

import java.nio.charset.StandardCharsets;

/** Derives independent generator seeds from a user seed, so nearby seeds and names give unrelated streams. */
final class Seeds {
    private Seeds() {}

    /** SplitMix64's finaliser over the pair. */
    static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for one named thing (a layer path): FNV-1a of its UTF-8 bytes, mixed with the seed. */
    static long forName(long seed, String name) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001B3L;
        }
        return mix(seed, hash);
    }
}
