package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.Tensors;

/**
 * The vision tower's 2-D rotary embedding ({@code VisionRotaryEmbedding}, {@code rot_pos_emb},
 * {@code apply_rotary_pos_emb_vision}): each patch has a position (row, column) in its image's patch grid; the
 * frequencies {@code 1 / θ^(2i / (head_dim/2))} (θ = 10000) over half the head width are multiplied by the row in
 * the first quarter of the angles and by the column in the second, and the angles are repeated so that
 * {@code rotate_half} pairs dimension {@code j} with {@code j + head_dim/2}. Rotation runs in float32.
 */
final class Qwen2VLVisionRotary {
    static final double THETA = 10000.0;

    private Qwen2VLVisionRotary() {}

    /**
     * The (row, column) of every patch of a grid of {@code height × width} patches, listed in the processor's
     * merge-window order (the {@code merge × merge} patches of a window consecutive, windows row-major): [h·w, 2].
     */
    static long[] positions(int height, int width, int merge) {
        long[] out = new long[2 * height * width];
        int i = 0;
        for (int windowRow = 0; windowRow < height / merge; windowRow++) {
            for (int windowColumn = 0; windowColumn < width / merge; windowColumn++) {
                for (int dy = 0; dy < merge; dy++) {
                    for (int dx = 0; dx < merge; dx++) {
                        out[i++] = (long) windowRow * merge + dy;
                        out[i++] = (long) windowColumn * merge + dx;
                    }
                }
            }
        }
        return out;
    }

    /** cos and sin [N, head_dim] (float32) of patch positions [N, 2]. */
    static Tensor[] cosSin(Tensor positions, int headDim) {
        long dim = headDim / 2;
        Tensor exponents = torch.arange(new Scalar(0), new Scalar(dim), new Scalar(2))
                .to(ScalarType.Float).div(new Scalar((double) dim));
        Tensor invFreq = torch.pow(new Scalar(THETA), exponents).reciprocal();
        // [N, 2, head_dim/4] → [N, head_dim/2]: the row's angles, then the column's.
        Tensor angles = positions.to(ScalarType.Float).unsqueeze(-1).mul(invFreq).flatten(1, 2);
        Tensor emb = torch.cat(new TensorVector(angles, angles), -1);
        return new Tensor[] {emb.cos(), emb.sin()};
    }

    /** Positions of several images' patches, one grid after the other. */
    static Tensor positions(int[][] grids, int merge) {
        long total = 0;
        for (int[] g : grids) total += (long) g[0] * g[1];
        long[] all = new long[(int) (2 * total)];
        int offset = 0;
        for (int[] g : grids) {
            long[] one = positions(g[0], g[1], merge);
            System.arraycopy(one, 0, all, offset, one.length);
            offset += one.length;
        }
        return Tensors.longs(all, total, 2);
    }

    /** {@code x·cos + rotate_half(x)·sin} in float32, back in x's dtype; cos and sin broadcast against x. */
    static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
        Tensor f = x.to(ScalarType.Float);
        long half = f.size(-1) / 2;
        Tensor rotated = torch.cat(new TensorVector(f.narrow(-1, half, half).neg(), f.narrow(-1, 0, half)), -1);
        return f.mul(cos).add(rotated.mul(sin)).to(x.scalar_type());
    }
}
