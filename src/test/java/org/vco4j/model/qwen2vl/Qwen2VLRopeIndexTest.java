package org.vco4j.model.qwen2vl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** M-RoPE positions as transformers' get_rope_index gives them, worked out by hand. */
class Qwen2VLRopeIndexTest {
    private static final long IMG = 9;

    /**
     * [a, b, <|vision_start|>, 4 image tokens (grid 1×4×4 patches → 2×2 merged), <|vision_end|>, c, d]: the three text
     * tokens before the image take 0, 1, 2 on every axis; the image starts at 3 with (t, h, w) = (0,0,0), (0,0,1), (0,1,0),
     * (0,1,1); the text after it resumes at 3 + 1 + 1 = 5. Length 10, largest position 7: delta = 8 − 10 = −2.
     */
    @Test
    void oneImageBetweenText() {
        long[] ids = {1, 2, 7, IMG, IMG, IMG, IMG, 8, 3, 4};
        Qwen2VLRopeIndex index = Qwen2VLRopeIndex.of(ids, IMG, List.of(new int[] {1, 4, 4}), 2);
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 5, 6, 7}, index.positions()[0]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 3, 4, 4, 5, 6, 7}, index.positions()[1]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 3, 4, 5, 6, 7}, index.positions()[2]);
        assertEquals(-2, index.delta());
    }

    /** A wide image (grid 1×2×6 → 1×3 tokens) then a second one right after: it starts at the first's largest + 1. */
    @Test
    void twoImagesBackToBack() {
        long[] ids = {1, IMG, IMG, IMG, IMG, 5};
        Qwen2VLRopeIndex index = Qwen2VLRopeIndex.of(ids, IMG, List.of(new int[] {1, 2, 6}, new int[] {1, 2, 2}), 2);
        // First image at 1: w = 1, 2, 3 (largest 3); the second at 4; then text at 5.
        assertArrayEquals(new long[] {0, 1, 1, 1, 4, 5}, index.positions()[0]);
        assertArrayEquals(new long[] {0, 1, 1, 1, 4, 5}, index.positions()[1]);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, index.positions()[2]);
        assertEquals(0, index.delta());
    }

    @Test
    void textOnlyIsOneDimensional() {
        Qwen2VLRopeIndex index = Qwen2VLRopeIndex.of(new long[] {4, 5, 6}, IMG, List.of(), 2);
        for (long[] axis : index.positions()) assertArrayEquals(new long[] {0, 1, 2}, axis);
        assertEquals(0, index.delta());
    }

    @Test
    void anImageWithoutItsGridIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Qwen2VLRopeIndex.of(new long[] {1, IMG, IMG, IMG, IMG}, IMG, List.of(), 2));
        assertThrows(IllegalArgumentException.class,
                () -> Qwen2VLRopeIndex.of(new long[] {1, IMG, IMG}, IMG, List.of(new int[] {1, 4, 4}), 2));
        assertThrows(IllegalArgumentException.class,
                () -> Qwen2VLRopeIndex.of(new long[] {1, 2}, IMG, List.of(new int[] {1, 4, 4}), 2));
    }
}
