package org.vco4j.model.qwen2vl;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.tensor.Tensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Qwen2-VL's vision tower on toy sizes: checkpoint names, 2-D rotary positions, per-image attention, the merger. */
class Qwen2VisionTransformerTest {
    private static final int EMBED = 16;
    private static final int HEADS = 2;
    private static final int HIDDEN = 12;
    private static final int PATCH = 2;
    /** 3 channels · 2 frames · 2 · 2. */
    private static final int ROW = 24;

    /** Two blocks, width 16 in 2 heads of 8, 2-pixel patches (rows of 24 values), merged to a 12-wide text model. */
    private static Qwen2VLVisionConfig toy() {
        return Qwen2VLVisionConfig.of(2, EMBED, HEADS, HIDDEN, PATCH);
    }

    /** Every parameter drawn from N(0, 0.3²) (norms and biases too) so that nothing is trivially zero or one. */
    private static void randomize(Module module, long seed) {
        torch.manual_seed(seed);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : module.namedParameters().values()) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.3)));
        }
    }

    /** Random patch rows for images of these (h, w) grids, each given h·w/4 slots. */
    private static ImageInputs images(long seed, int[]... grids) {
        torch.manual_seed(seed);
        List<ImageInput> images = new ArrayList<>();
        long rows = 0;
        for (int[] g : grids) {
            int n = g[0] * g[1];
            images.add(new ImageInput("image " + (images.size() + 1), new ImageDimensions(g[0] * PATCH, g[1] * PATCH), n, n / 4, g[0], g[1]));
            rows += n;
        }
        return new ImageInputs(torch.randn(rows, ROW), images);
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertClose(expected, actual, 1e-5);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tolerance) {
        assertArrayEquals(Tensors.shape(expected), Tensors.shape(actual));
        double diff = Tensors.item(expected.sub(actual).abs().max());
        assertTrue(diff < tolerance, "largest difference " + diff);
    }

    @Test
    void parameterNamesAndShapesAreTheCheckpointsKeys() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("patch_embed.proj.weight", new long[] {EMBED, 3, 2, PATCH, PATCH});
        for (int b = 0; b < 2; b++) {
            String block = "blocks." + b + ".";
            for (String norm : List.of("norm1", "norm2")) {
                expected.put(block + norm + ".weight", new long[] {EMBED});
                expected.put(block + norm + ".bias", new long[] {EMBED});
            }
            expected.put(block + "attn.qkv.weight", new long[] {3 * EMBED, EMBED});
            expected.put(block + "attn.qkv.bias", new long[] {3 * EMBED});
            expected.put(block + "attn.proj.weight", new long[] {EMBED, EMBED});
            expected.put(block + "attn.proj.bias", new long[] {EMBED});
            expected.put(block + "mlp.fc1.weight", new long[] {4 * EMBED, EMBED});
            expected.put(block + "mlp.fc1.bias", new long[] {4 * EMBED});
            expected.put(block + "mlp.fc2.weight", new long[] {EMBED, 4 * EMBED});
            expected.put(block + "mlp.fc2.bias", new long[] {EMBED});
        }
        expected.put("merger.ln_q.weight", new long[] {EMBED});
        expected.put("merger.ln_q.bias", new long[] {EMBED});
        expected.put("merger.mlp.0.weight", new long[] {4 * EMBED, 4 * EMBED});
        expected.put("merger.mlp.0.bias", new long[] {4 * EMBED});
        expected.put("merger.mlp.2.weight", new long[] {HIDDEN, 4 * EMBED});
        expected.put("merger.mlp.2.bias", new long[] {HIDDEN});
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer tower = new Qwen2VisionTransformer(ParameterFactory.cpuFloat32(), toy())) {
            Map<String, Tensor> params = tower.namedParameters();
            assertEquals(expected.keySet(), params.keySet());
            expected.forEach((name, shape) -> assertArrayEquals(shape, Tensors.shape(params.get(name)), name));
        }
    }

    /**
     * transformers' default tower (Qwen2-VL-7B's: 32 blocks of 1280 in 16 heads, merger to 3584) built on the meta
     * device has the 675.8 M parameters published for Qwen2-VL's ViT: patch 1280·1176 + 32 blocks of 19,677,440 +
     * merger 2,560 + 26,219,520 + 18,353,664.
     */
    @Test
    void theDefaultTowerHas675MillionParameters() {
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer tower = new Qwen2VisionTransformer(ParameterFactory.meta(torch.ScalarType.BFloat16),
                     new Qwen2VLVisionConfig())) {
            assertEquals(675_759_104L, tower.parameterCount());
            assertArrayEquals(new long[] {1280, 3, 2, 14, 14}, Tensors.shape(tower.namedParameters().get("patch_embed.proj.weight")));
            assertArrayEquals(new long[] {3584, 5120}, Tensors.shape(tower.namedParameters().get("merger.mlp.2.weight")));
        }
    }

    /** A 4×4 grid in merge-window order: the four patches of each 2×2 window, windows row by row. */
    @Test
    void rotaryPositionsOfA4x4GridInMergeWindowOrder() {
        long[] expected = {
                0, 0, 0, 1, 1, 0, 1, 1,   // window (0, 0)
                0, 2, 0, 3, 1, 2, 1, 3,   // window (0, 1)
                2, 0, 2, 1, 3, 0, 3, 1,   // window (1, 0)
                2, 2, 2, 3, 3, 2, 3, 3};  // window (1, 1)
        assertArrayEquals(expected, Qwen2VLVisionRotary.positions(4, 4, 2));
        try (PointerScope scope = new PointerScope()) {
            // head_dim 8: rotary over 4 dims, frequencies 1/10000^(0/4) = 1 and 1/10000^(2/4) = 0.01; angles are
            // (h, h/100, w, w/100) repeated. Row 14 (third patch of window (1, 1)) is patch (3, 2).
            Tensor[] cosSin = Qwen2VLVisionRotary.cosSin(Qwen2VLVisionRotary.positions(new int[][] {{4, 4}}, 2), 8);
            assertArrayEquals(new long[] {16, 8}, Tensors.shape(cosSin[0]));
            double[] angles = {3, 0.03, 2, 0.02, 3, 0.03, 2, 0.02};
            float[] cos = Tensors.toFloatArray(cosSin[0].select(0, 14));
            float[] sin = Tensors.toFloatArray(cosSin[1].select(0, 14));
            for (int j = 0; j < 8; j++) {
                assertEquals(Math.cos(angles[j]), cos[j], 1e-6, "cos " + j);
                assertEquals(Math.sin(angles[j]), sin[j], 1e-6, "sin " + j);
            }
        }
    }

    @Test
    void twoImagesInOneCallGiveTheFeaturesOfEachAlone() {
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer tower = new Qwen2VisionTransformer(ParameterFactory.cpuFloat32(), toy())) {
            randomize(tower, 3);
            ImageInputs both = images(4, new int[] {4, 4}, new int[] {2, 6});
            Tensor together = tower.forward(both);
            Tensor first = tower.forward(new ImageInputs(both.pixelValues().narrow(0, 0, 16), both.images().subList(0, 1)));
            Tensor second = tower.forward(new ImageInputs(both.pixelValues().narrow(0, 16, 12), both.images().subList(1, 2)));
            assertArrayEquals(new long[] {4 + 3, HIDDEN}, Tensors.shape(together));
            assertClose(torch.cat(new TensorVector(first, second), 0), together);
        }
    }

    @Test
    void theForwardEqualsAnExplicitComposition() {
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer tower = new Qwen2VisionTransformer(ParameterFactory.cpuFloat32(), toy())) {
            randomize(tower, 5);
            ImageInputs inputs = images(6, new int[] {4, 4}, new int[] {2, 4});
            Map<String, Tensor> p = tower.namedParameters();
            Tensor first = reference(p, inputs.pixelValues().narrow(0, 0, 16), 4, 4);
            Tensor second = reference(p, inputs.pixelValues().narrow(0, 16, 8), 2, 4);
            assertClose(torch.cat(new TensorVector(first, second), 0), tower.forward(inputs));
        }
    }

    @Test
    void aTwoByTwoMergeGivesAQuarterOfThePatchesPerImage() {
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer tower = new Qwen2VisionTransformer(ParameterFactory.cpuFloat32(), toy())) {
            randomize(tower, 7);
            assertArrayEquals(new long[] {6 + 1 + 4, HIDDEN},
                    Tensors.shape(tower.forward(images(8, new int[] {4, 6}, new int[] {2, 2}, new int[] {2, 8}))));
            // An image whose prompt has another number of slots, or whose grid does not fit its rows, is refused.
            ImageInputs one = images(9, new int[] {4, 4});
            ImageInput image = one.images().get(0);
            ImageInput wrongSlots = new ImageInput("a.png", image.original(), 16, 5, 4, 4);
            assertThrows(IllegalStateException.class, () -> tower.forward(new ImageInputs(one.pixelValues(), List.of(wrongSlots))));
            ImageInput oddGrid = new ImageInput("b.png", image.original(), 16, 4, 16, 1);
            String message = assertThrows(IllegalArgumentException.class,
                    () -> tower.forward(new ImageInputs(one.pixelValues(), List.of(oddGrid)))).getMessage();
            assertTrue(message.startsWith("b.png: a grid of 16×1 patches"), message);
        }
    }

    /**
     * The processor's patch rows through {@code patch_embed} equal transformers' Conv3d over the two-frame image
     * (stride = kernel = 2×14×14), its output grid read in merge-window order: rows and kernel agree on the
     * (channel, frame, y, x) layout.
     */
    @Test
    void patchEmbeddingOfProcessedImageIsTheConv3dOverTheFrames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("preprocessor_config.json"),
                "{\"min_pixels\": 3136, \"max_pixels\": 12845056, \"do_normalize\": false, \"do_rescale\": false}");
        Qwen2VLImageProcessor processor = Qwen2VLImageProcessor.read(dir.resolve("preprocessor_config.json"));
        int height = 56;
        int width = 84; // multiples of 28: 4×6 patches, no resampling
        byte[] rgb = new byte[height * width * 3];
        new java.util.Random(10).nextBytes(rgb);
        Qwen2VLVisionConfig config = Qwen2VLVisionConfig.of(1, 8, 2, 4, 14);
        try (PointerScope scope = new PointerScope();
             Qwen2VLPatchEmbed embed = new Qwen2VLPatchEmbed(ParameterFactory.cpuFloat32(), config)) {
            randomize(embed, 11);
            ImageInputs inputs = processor.preprocess(List.of(new RgbImage(width, height, rgb)));
            float[] pixels = new float[3 * height * width];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) pixels[(c * height + y) * width + x] = rgb[(y * width + x) * 3 + c] & 0xff;
                }
            }
            Tensor video = Tensors.floats(pixels, 3, 1, height, width).expand(3, 2, height, width).unsqueeze(0);
            Tensor conv = torch.conv3d(video, embed.namedParameters().get("proj.weight"), new TensorOptional(),
                    new long[] {2, 14, 14}, new long[] {0, 0, 0}, new long[] {1, 1, 1}, 1);
            Tensor rowMajor = conv.view(8, 4 * 6).t(); // [h·w, embed], patches row by row
            long[] positions = Qwen2VLVisionRotary.positions(4, 6, 2);
            long[] order = new long[24];
            for (int r = 0; r < 24; r++) order[r] = positions[2 * r] * 6 + positions[2 * r + 1];
            Tensor expected = rowMajor.index_select(0, Tensors.longs(order));
            // Sums of 1176 products of 0..255 pixels: float32 rounding relative to the largest value.
            assertClose(expected, embed.forward(inputs.pixelValues()), 1e-6 * Tensors.item(expected.abs().max()));
        }
    }

    /** A bfloat16 tower (the checkpoints' dtype) with the same weights stays within bf16 rounding of float32. */
    @Test
    void aBfloat16TowerFollowsTheFloat32One() {
        try (PointerScope scope = new PointerScope();
             Qwen2VisionTransformer full = new Qwen2VisionTransformer(ParameterFactory.cpuFloat32(), toy());
             Qwen2VisionTransformer half = new Qwen2VisionTransformer(
                     new ParameterFactory(ParameterFactory.cpuFloat32().device(), torch.ScalarType.BFloat16), toy())) {
            randomize(full, 12);
            try (NoGradGuard guard = new NoGradGuard()) {
                half.namedParameters().forEach((name, p) -> p.copy_(full.namedParameters().get(name)));
            }
            ImageInputs inputs = images(13, new int[] {4, 4}, new int[] {2, 2});
            Tensor expected = full.forward(inputs);
            Tensor actual = half.forward(inputs);
            assertEquals(torch.ScalarType.BFloat16, actual.scalar_type().intern());
            double scale = Tensors.item(expected.abs().max());
            assertClose(expected, actual.to(torch.ScalarType.Float), 0.05 * scale);
        }
    }

    /**
     * One image through the tower written out: the Conv3d patch embedding, per block LayerNorm, the qkv product,
     * rotary angles from each patch's (row, column) recomputed here, softmax(q·kᵀ/√d)·v over the image's own
     * patches, quick_gelu MLP, then LayerNorm, 2×2 windows concatenated, erf GELU, the merger's two products.
     */
    private static Tensor reference(Map<String, Tensor> p, Tensor rows, int height, int width) {
        long n = rows.size(0);
        int headDim = EMBED / HEADS;
        Tensor x = torch.conv3d(rows.view(n, 3, 2, PATCH, PATCH), p.get("patch_embed.proj.weight")).view(n, EMBED);
        float[] cosValues = new float[(int) n * headDim];
        float[] sinValues = new float[(int) n * headDim];
        for (int r = 0; r < n; r++) {
            int window = r / 4;
            int h = (window / (width / 2)) * 2 + (r % 4) / 2;
            int w = (window % (width / 2)) * 2 + r % 2;
            for (int j = 0; j < headDim; j++) {
                int slot = j % (headDim / 2);              // the angles repeat over the two halves
                int axis = slot / (headDim / 4);           // first quarter: row, second: column
                int i = slot % (headDim / 4);
                double angle = (axis == 0 ? h : w) / Math.pow(10000, 2.0 * i / (headDim / 2));
                cosValues[r * headDim + j] = (float) Math.cos(angle);
                sinValues[r * headDim + j] = (float) Math.sin(angle);
            }
        }
        Tensor cos = Tensors.floats(cosValues, n, 1, headDim);
        Tensor sin = Tensors.floats(sinValues, n, 1, headDim);
        for (int b = 0; b < 2; b++) {
            String block = "blocks." + b + ".";
            Tensor qkv = layerNorm(x, p, block + "norm1").matmul(p.get(block + "attn.qkv.weight").t()).add(p.get(block + "attn.qkv.bias"));
            Tensor q = rotate(qkv.narrow(1, 0, EMBED).view(n, HEADS, headDim), cos, sin).transpose(0, 1);
            Tensor k = rotate(qkv.narrow(1, EMBED, EMBED).view(n, HEADS, headDim), cos, sin).transpose(0, 1);
            Tensor v = qkv.narrow(1, 2 * EMBED, EMBED).view(n, HEADS, headDim).transpose(0, 1);
            Tensor weights = q.matmul(k.transpose(1, 2)).div(new Scalar(Math.sqrt(headDim))).softmax(-1);
            Tensor attended = weights.matmul(v).transpose(0, 1).reshape(n, EMBED);
            x = x.add(attended.matmul(p.get(block + "attn.proj.weight").t()).add(p.get(block + "attn.proj.bias")));
            Tensor up = layerNorm(x, p, block + "norm2").matmul(p.get(block + "mlp.fc1.weight").t()).add(p.get(block + "mlp.fc1.bias"));
            Tensor act = up.mul(up.mul(new Scalar(1.702)).sigmoid());
            x = x.add(act.matmul(p.get(block + "mlp.fc2.weight").t()).add(p.get(block + "mlp.fc2.bias")));
        }
        Tensor windows = layerNorm(x, p, "merger.ln_q").reshape(n / 4, 4 * EMBED);
        Tensor hidden = windows.matmul(p.get("merger.mlp.0.weight").t()).add(p.get("merger.mlp.0.bias"));
        Tensor gelu = hidden.mul(new Scalar(0.5)).mul(hidden.div(new Scalar(Math.sqrt(2))).erf().add(new Scalar(1)));
        return gelu.matmul(p.get("merger.mlp.2.weight").t()).add(p.get("merger.mlp.2.bias"));
    }

    private static Tensor layerNorm(Tensor x, Map<String, Tensor> p, String name) {
        Tensor mean = x.mean(new long[] {-1}, true, new ScalarTypeOptional());
        Tensor centred = x.sub(mean);
        Tensor variance = centred.mul(centred).mean(new long[] {-1}, true, new ScalarTypeOptional());
        return centred.div(variance.add(new Scalar(1e-6)).sqrt()).mul(p.get(name + ".weight")).add(p.get(name + ".bias"));
    }

    /** x·cos + rotate_half(x)·sin with rotate_half(x) = (−x₂, x₁). */
    private static Tensor rotate(Tensor x, Tensor cos, Tensor sin) {
        long half = x.size(-1) / 2;
        Tensor rotated = torch.cat(new TensorVector(x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
