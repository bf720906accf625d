package org.vco4j.model.qwen2vl;

import java.util.List;

/**
 * {@code get_rope_index} of transformers' Qwen2-VL, for one sequence without padding: the three M-RoPE positions
 * (temporal, height, width) of every token. Text counts up on all three axes; an image's tokens (its run of
 * {@code image_token_id}) take (t, h, w) over its merged grid, offset by the position the image starts at; the text
 * after an image resumes at the image's largest position + 1. The {@code delta} (largest position + 1 − length) is what
 * cached decoding adds to a new token's index. An image without its grid is an error, never a fallback to 1-D positions.
 *
 * @param positions [3][length]
 * @param delta     the rope delta of the sequence
 */
public record Qwen2VLRopeIndex(long[][] positions, long delta) {

    /**
     * @param ids            the token ids, image tokens expanded
     * @param imageTokenId   the id of an image slot ({@code <|image_pad|>})
     * @param grids          each image's patch grid {t, h, w} ({@code image_grid_thw}), in order
     * @param spatialMerge   patches merged per side into one token (2)
     */
    public static Qwen2VLRopeIndex of(long[] ids, long imageTokenId, List<int[]> grids, int spatialMerge) {
        long[][] positions = new long[3][ids.length];
        long next = 0; // the position the next text token takes
        int image = 0;
        int at = 0;
        while (at < ids.length) {
            if (ids[at] != imageTokenId) {
                for (int axis = 0; axis < 3; axis++) positions[axis][at] = next;
                next++;
                at++;
                continue;
            }
            if (image >= grids.size()) {
                throw new IllegalArgumentException("the sequence has more images than the " + grids.size() + " grid(s) given");
            }
            int[] grid = grids.get(image++);
            int t = grid[0];
            int h = grid[1] / spatialMerge;
            int w = grid[2] / spatialMerge;
            long tokens = (long) t * h * w;
            if (at + tokens > ids.length) {
                throw new IllegalArgumentException("image " + image + " of grid " + t + "x" + grid[1] + "x" + grid[2] + " needs "
                        + tokens + " image tokens but the sequence ends after " + (ids.length - at));
            }
            long largest = next;
            for (int k = 0; k < tokens; k++) {
                if (ids[at + k] != imageTokenId) {
                    throw new IllegalArgumentException("image " + image + " needs " + tokens + " consecutive image tokens, found "
                            + k + " at position " + at);
                }
                long tIndex = k / ((long) h * w);
                long hIndex = (k / w) % h;
                long wIndex = k % w;
                positions[0][at + k] = next + tIndex;
                positions[1][at + k] = next + hIndex;
                positions[2][at + k] = next + wIndex;
                largest = Math.max(largest, Math.max(next + tIndex, Math.max(next + hIndex, next + wIndex)));
            }
            at += tokens;
            next = largest + 1;
        }
        if (image != grids.size()) {
            throw new IllegalArgumentException(grids.size() + " image grid(s) given but the sequence has " + image + " image(s)");
        }
        return new Qwen2VLRopeIndex(positions, next - ids.length);
    }
}
