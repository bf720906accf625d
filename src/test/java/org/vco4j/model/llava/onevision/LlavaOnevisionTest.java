package org.vco4j.model.llava.onevision;

import org.vco4j.testing.TestCheckpoints;
import org.vco4j.testing.ScoringChecks;
import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** LLaVA-OneVision at toy size end to end: tiles, token counts, packing, scoring, generation, training, export. */
class LlavaOnevisionTest {
    static Path folder;
    static PretrainedVlm vlm;
    static Path tall;
    static Path wide;
    static Path small;
    static Path huge;

    /** The tiny checkpoint, written through the command line once per test JVM. */
    static synchronized Path tinyCheckpoint() {
        Path tiny = TinyWorld.root().resolve("tiny-onevision");
        if (!Files.isDirectory(tiny)) {
            Cli.Run run = Cli.vco("model", "init", "--family", "llava-onevision", "--size", "tiny", "--seed", "5", "--out", tiny.toString());
            assertEquals(0, run.exitCode(), run.err());
        }
        return tiny;
    }

    @BeforeAll
    static void load() throws IOException {
        folder = tinyCheckpoint();
        vlm = PretrainedVlm.load(folder, ParameterFactory.cpuFloat32());
        tall = picture("tall.png", 40, 200);
        wide = picture("wide.png", 300, 60);
        small = picture("small.png", 10, 10);
        huge = picture("huge.png", 1000, 900);
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    /** A width × height PNG whose colours vary with position, so every tile and crop differs. */
    static Path picture(String name, int width, int height) throws IOException {
        Path file = TinyWorld.root().resolve("onevision-" + name);
        if (Files.exists(file)) return file;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x + y) % 256));
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    static LlavaOnevisionImageProcessor imageProcessor() {
        return (LlavaOnevisionImageProcessor) vlm.processor().images();
    }

    @Test
    void writesTheHubLayoutInBothKeyLayouts(@TempDir Path dir) throws IOException {
        JsonNode config = Json.MAPPER.readTree(folder.resolve("config.json").toFile());
        assertEquals("llava_onevision", config.get("model_type").asText());
        assertEquals("LlavaOnevisionForConditionalGeneration", config.at("/architectures/0").asText());
        assertEquals(16, config.get("image_grid_pinpoints").size());
        assertEquals("[56,112]", config.at("/image_grid_pinpoints/1").toString());
        assertEquals("anyres_max_9", config.get("vision_aspect_ratio").asText());
        JsonNode preprocessor = Json.MAPPER.readTree(folder.resolve(PreprocessorConfig.FILE_NAME).toFile());
        assertEquals(PreprocessorConfig.ONEVISION_PROCESSOR, preprocessor.get("image_processor_type").asText());
        assertEquals(0.5, preprocessor.at("/image_mean/0").asDouble());
        assertEquals(config.get("image_grid_pinpoints"), preprocessor.get("image_grid_pinpoints"));
        assertTrue(preprocessor.get("do_pad").asBoolean());
        assertFalse(preprocessor.has("crop_size"));
        assertEquals(16, Json.MAPPER.readTree(folder.resolve("processor_config.json").toFile()).get("num_image_tokens").asInt());

        Set<String> keys = TestCheckpoints.keys(folder.resolve("model.safetensors"));
        assertEquals(new TreeSet<>(vlm.model().module().namedParameters().keySet()), keys);
        assertTrue(keys.contains("model.image_newline"));

        Path legacy = dir.resolve("legacy");
        Cli.Run run = Cli.vco("model", "init", "--family", "llava-onevision", "--size", "tiny", "--seed", "5", "--legacy-keys",
                "--out", legacy.toString());
        assertEquals(0, run.exitCode(), run.err());
        Set<String> legacyKeys = TestCheckpoints.keys(legacy.resolve("model.safetensors"));
        assertTrue(legacyKeys.containsAll(List.of("image_newline", "language_model.model.embed_tokens.weight",
                "vision_tower.vision_model.post_layernorm.weight", "multi_modal_projector.linear_1.weight")), legacyKeys.toString());
        try (PretrainedVlm reloaded = PretrainedVlm.load(legacy, ParameterFactory.cpuFloat32())) {
            for (String name : List.of("model.image_newline", "model.multi_modal_projector.linear_2.weight")) {
                assertArrayEquals(Tensors.toFloatArray(vlm.model().module().namedParameters().get(name)),
                        Tensors.toFloatArray(reloaded.model().module().namedParameters().get(name)), name);
            }
        }
    }

    @Test
    void chatTemplateHasNoDefaultSystemTurn() {
        assertEquals("<|im_start|>user\n<image>\nWhat is it?<|im_end|>\n<|im_start|>assistant\n",
                vlm.processor().template().render("<image>\nWhat is it?"));
    }

    @Test
    void tokenCountsEqualTheModelsFeatureRows() {
        // Expected counts are the hand derivations of AnyresGridTest.tinySizes.
        assertImageTokens(List.of(tall), 96);
        assertImageTokens(List.of(wide), 84);
        assertImageTokens(List.of(small), 36);
        assertImageTokens(List.of(huge), 16 + 11 * 13);
        assertImageTokens(List.of(TinyWorld.redCircle()), 36);
        assertImageTokens(List.of(tall, huge), 2 * 17);
        assertImageTokens(List.of(small, wide, TinyWorld.blueSquare()), 3 * 17);
    }

    private static void assertImageTokens(List<Path> images, int expected) {
        Context context = new Context(images, "Describe the image.");
        long slots = Arrays.stream(vlm.processor().promptIds(context)).filter(id -> id == vlm.processor().imageTokenId()).count();
        assertEquals(expected, slots, images.toString());
        try (PointerScope scope = new PointerScope()) {
            ImageInputs inputs = vlm.processor().prepare(context).images();
            assertEquals(expected, inputs.slots());
            assertEquals(expected, vlm.model().encodeImages(inputs).size(0), "one feature row per slot for " + images);
        }
    }

    @Test
    void aCountOrGridTheModelDoesNotMakeIsNamed() {
        Context context = new Context(List.of(tall), "Describe the image.");
        try (PointerScope scope = new PointerScope()) {
            ImageInputs inputs = vlm.processor().prepare(context).images();
            ImageInput right = inputs.images().get(0);
            ImageInputs fewer = new ImageInputs(inputs.pixelValues(), List.of(new ImageInput(right.name(), right.original(),
                    right.rows(), right.slots() - 1, right.gridHeight(), right.gridWidth())));
            assertEquals("onevision-tall.png (40x200): the processor gave it 95 image tokens but the model made 96 feature rows",
                    assertThrows(IllegalStateException.class, () -> vlm.model().encodeImages(fewer)).getMessage());
            ImageInputs transposed = new ImageInputs(inputs.pixelValues(), List.of(new ImageInput(right.name(), right.original(),
                    right.rows(), right.slots(), right.gridWidth(), right.gridHeight())));
            assertTrue(assertThrows(IllegalStateException.class, () -> vlm.model().encodeImages(transposed)).getMessage()
                    .contains("the processor tiled it 1×4 in 5 rows, but image_grid_pinpoints give 4×1 tiles"));
        }
    }

    @Test
    void realSizeTilesGiveTransformersCounts() {
        // The real geometry (384-pixel tiles of 27×27 = 729 tokens, the 36 pinpoints, anyres_max_9) on a toy-width
        // tower and decoder: the counts AnyresGridTest derives by hand, made by the processor and by the model.
        LlavaOnevisionConfig config = LlavaOnevisionFamily.tiny(400, 3, 4, 0, 2);
        config.visionConfig = org.vco4j.model.siglip.SiglipVisionConfig.of(32, 64, 1, 2, 384, 14);
        config.imageGridPinpoints = LlavaOnevisionConfig.squareGrid(384, 6);
        config.validate();
        LlavaOnevisionImageProcessor processor = new LlavaOnevisionImageProcessor(PreprocessorConfig.onevisionBuilder()
                .imageMean(PreprocessorConfig.STANDARD_MEAN).imageStd(PreprocessorConfig.STANDARD_STD).build(), config.anyresGrid());
        try (PointerScope scope = new PointerScope();
             LlavaOnevisionForConditionalGeneration model = new LlavaOnevisionForConditionalGeneration(ParameterFactory.cpuFloat32(), config)) {
            org.vco4j.model.nn.RandomInit.apply(model, 1, 0.02);
            RgbImage vga = RgbImage.filled(640, 480, 200, 30, 90);
            RgbImage fullHd = RgbImage.filled(1920, 1080, 20, 130, 250);
            assertRealCount(processor, model, List.of(vga), new int[] {2929}, 1 + 4);
            assertRealCount(processor, model, List.of(fullHd), new int[] {7269}, 1 + 15);
            assertRealCount(processor, model, List.of(vga, fullHd), new int[] {730, 730}, 2);
        }
    }

    private static void assertRealCount(LlavaOnevisionImageProcessor processor, LlavaOnevisionForConditionalGeneration model,
                                        List<RgbImage> images, int[] expected, int rows) {
        assertArrayEquals(expected, processor.slots(images.stream().map(ImageDimensions::of).toList()));
        ImageInputs inputs = processor.preprocess(images);
        assertEquals(rows, inputs.pixelValues().size(0));
        assertEquals(Arrays.stream(expected).sum(), model.encodeImages(inputs).size(0));
    }

    @Test
    void tilesAreRowMajorAfterTheBaseImage() {
        // 112×56: left half red, right half blue. Best resolution 56×112 (h×w), 1×2 tiles, no padding.
        RgbImage halves = RgbImage.filled(56, 56, 255, 0, 0);
        RgbImage twoHalves = new RgbImage(112, 56, concatRows(halves, RgbImage.filled(56, 56, 0, 0, 255)));
        try (PointerScope scope = new PointerScope()) {
            ImageInputs inputs = imageProcessor().preprocess(List.of(twoHalves));
            ImageInput input = inputs.images().get(0);
            assertEquals(3, input.rows());
            assertEquals(1, input.gridHeight());
            assertEquals(2, input.gridWidth());
            float[] pixels = Tensors.toFloatArray(inputs.pixelValues());
            // Base image: the whole picture squeezed to 56×56, red on the left, blue on the right.
            assertEquals(1f, pixel(pixels, 0, 0, 28, 5), 1e-6);
            assertEquals(1f, pixel(pixels, 0, 2, 28, 50), 1e-6);
            // Tile 1 is the left (red) half, tile 2 the right (blue) half; (255/255 - 0.5) / 0.5 = 1, (0 - 0.5) / 0.5 = -1.
            for (int y : new int[] {0, 55}) {
                for (int x : new int[] {0, 55}) {
                    assertEquals(1f, pixel(pixels, 1, 0, y, x), 1e-6);
                    assertEquals(-1f, pixel(pixels, 1, 2, y, x), 1e-6);
                    assertEquals(-1f, pixel(pixels, 2, 0, y, x), 1e-6);
                    assertEquals(1f, pixel(pixels, 2, 2, y, x), 1e-6);
                }
            }
        }
    }

    @Test
    void paddingIsBlackBeforeNormalisingWithTheOddPixelOnTheRight() {
        try (PointerScope scope = new PointerScope()) {
            // White 80×56 in 56×112: resized to 56×80 (get_patch_output_size), 32 columns of padding: 16 left, 16 right.
            float[] even = Tensors.toFloatArray(imageProcessor().preprocess(List.of(RgbImage.filled(80, 56, 255, 255, 255))).pixelValues());
            assertEquals(-1f, pixel(even, 1, 0, 10, 15), 1e-6, "padding value 0 → (0 - 0.5) / 0.5");
            assertEquals(1f, pixel(even, 1, 0, 10, 16), 1e-6);
            assertEquals(1f, pixel(even, 2, 1, 10, 39), 1e-6);
            assertEquals(-1f, pixel(even, 2, 1, 10, 40), 1e-6);
            // 81 wide: 31 columns, divmod(31, 2) = (15, 1): 15 on the left, 16 on the right.
            float[] odd = Tensors.toFloatArray(imageProcessor().preprocess(List.of(RgbImage.filled(81, 56, 255, 255, 255))).pixelValues());
            assertEquals(-1f, pixel(odd, 1, 2, 30, 14), 1e-6);
            assertEquals(1f, pixel(odd, 1, 2, 30, 15), 1e-6);
            assertEquals(1f, pixel(odd, 2, 2, 30, 39), 1e-6);
            assertEquals(-1f, pixel(odd, 2, 2, 30, 40), 1e-6);
        }
    }

    @Test
    void imagesOfAMultiImagePromptArePaddedToASquareOnTheMeanColour() {
        try (PointerScope scope = new PointerScope()) {
            // 56×28 white and a red square: not tiled, one row each, no grid. The first is centred on a 56×56 canvas
            // of int(0.5 · 255) = 127: rows 0..13 and 42..55 are (127/255 - 0.5) / 0.5.
            ImageInputs inputs = imageProcessor().preprocess(List.of(RgbImage.filled(56, 28, 255, 255, 255), RgbImage.filled(30, 30, 255, 0, 0)));
            assertEquals(List.of(1, 1), inputs.images().stream().map(ImageInput::rows).toList());
            assertEquals(0, inputs.images().get(0).gridHeight());
            assertEquals(17, inputs.images().get(0).slots());
            float[] pixels = Tensors.toFloatArray(inputs.pixelValues());
            float background = (float) (((float) (127 / 255.0) - 0.5f) / 0.5f);
            assertEquals(background, pixel(pixels, 0, 1, 13, 20), 1e-6);
            assertEquals(1f, pixel(pixels, 0, 1, 14, 20), 1e-6);
            assertEquals(1f, pixel(pixels, 0, 1, 41, 20), 1e-6);
            assertEquals(background, pixel(pixels, 0, 1, 42, 20), 1e-6);
            assertEquals(-1f, pixel(pixels, 1, 1, 28, 28), 1e-6);
        }
    }

    private static byte[] concatRows(RgbImage left, RgbImage right) {
        byte[] a = left.toByteArray();
        byte[] b = right.toByteArray();
        byte[] out = new byte[a.length + b.length];
        int row = left.width() * 3;
        for (int y = 0; y < left.height(); y++) {
            System.arraycopy(a, y * row, out, y * 2 * row, row);
            System.arraycopy(b, y * row, out, y * 2 * row + row, row);
        }
        return out;
    }

    /** Value of pixel (y, x), channel c, of row r of [rows, 3, 56, 56] pixel values. */
    private static float pixel(float[] values, int r, int c, int y, int x) {
        return values[((r * 3 + c) * 56 + y) * 56 + x];
    }

    @Test
    void packingUnpadsAndPutsANewlineAfterEveryRow() {
        try (PointerScope scope = new PointerScope()) {
            // One channel, 2×2 tokens per tile; tile t holds 10·t + token index (tile 0 is the base image).
            float[] values = new float[3 * 4];
            for (int t = 0; t < 3; t++) for (int i = 0; i < 4; i++) values[t * 4 + i] = 10 * t + i;
            Tensor tiles = Tensors.floats(values, 3, 4, 1);
            // Grid 1×2: the map is [[10, 11, 20, 21], [12, 13, 22, 23]]; keeping columns 1..2 leaves
            // [[11, 20], [13, 22]], each row followed by the newline (-1).
            AnyresGrid.Layout layout = new AnyresGrid.Layout(1, 2, 0, 2, 1, 2, 2, 2);
            Tensor packed = LlavaOnevisionForConditionalGeneration.packTiled(tiles, layout, 2, Tensors.floats(-1f));
            assertArrayEquals(new float[] {0, 1, 2, 3, 11, 20, -1, 13, 22, -1}, Tensors.toFloatArray(packed));
        }
    }

    @Test
    void downsizingIsBilinearWithoutAlignedCorners() {
        try (PointerScope scope = new PointerScope()) {
            // One 4×4 tile holding 10·y + x, downsized to 2×2: with align_corners false each output samples source
            // position (2·i + 0.5), halfway between four pixels, so it is the mean of a 2×2 block: 5.5, 7.5, 25.5, 27.5.
            float[] values = new float[16 + 16];
            for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) values[16 + y * 4 + x] = 10 * y + x;
            Tensor tiles = Tensors.floats(values, 2, 16, 1);
            AnyresGrid.Layout layout = new AnyresGrid.Layout(1, 1, 0, 4, 0, 4, 2, 2);
            float[] packed = Tensors.toFloatArray(LlavaOnevisionForConditionalGeneration.packTiled(tiles, layout, 4, Tensors.floats(-1f)));
            assertArrayEquals(new float[] {5.5f, 7.5f, -1, 25.5f, 27.5f, -1}, Arrays.copyOfRange(packed, 16, 22), 1e-5f);
        }
    }

    static List<ScoreRequest> requests() {
        Context tallOnly = new Context(List.of(tall), "<image>\nDescribe the image.");
        Context hugeOnly = new Context(List.of(huge), "<image>\nDescribe the image.");
        Context two = new Context(List.of(TinyWorld.redCircle(), wide), "<image>\n<image>\nWhat is in the first image?");
        return List.of(new ScoreRequest("tall-a", tallOnly, "There is a red circle."),
                new ScoreRequest("tall-b", tallOnly, "a blue square"),
                new ScoreRequest("huge", hugeOnly, "There is a green circle."),
                new ScoreRequest("two", two, "The first image shows a red circle.", List.of(new int[] {24, 34})),
                new ScoreRequest("text", Context.textOnly("Describe the image."), "yes"));
    }

    @Test
    void paddedBatchesAndSharedPrefixesEqualOneByOne() {
        ScoringChecks.assertPaddedAndSharedEqualOneByOne(new Scorer(vlm.model(), vlm.processor()), requests());
    }

    @Test
    void theNewlineAndTheTowerReceiveGradients() {
        Scorer scorer = new Scorer(vlm.model(), vlm.processor());
        var parameters = vlm.model().module().namedParameters();
        try (PointerScope scope = new PointerScope()) {
            vlm.model().module().requiresGrad(true);
            ScoredBatch batch = scorer.score(requests(), true);
            batch.logps().sum().backward();
            for (String name : List.of("model.image_newline", "model.vision_tower.vision_model.embeddings.patch_embedding.weight")) {
                Tensor grad = parameters.get(name).grad();
                assertTrue(grad.defined() && grad.abs().sum().item_double() > 0, name + " received no gradient");
            }
        } finally {
            vlm.model().module().requiresGrad(false);
            for (Tensor p : parameters.values()) if (p.grad().defined()) p.grad().zero_();
        }
    }

    @Test
    void cachedDecodingEqualsRecomputation() {
        Generator generator = new Generator(vlm.model(), vlm.processor());
        try (PointerScope scope = new PointerScope()) {
            for (Context condition : List.of(new Context(List.of(huge), "<image>\nDescribe the image."),
                    new Context(List.of(tall, small), "<image>\n<image>\nDescribe the two images."))) {
                Generator.Generation cached = generator.generate(condition, GenerationConfig.greedy(8), true);
                Generator.Generation recomputed = generator.generate(condition, GenerationConfig.greedy(8), false);
                assertArrayEquals(recomputed.ids(), cached.ids());
                assertTrue(cached.ids().length > 0);
            }
        }
    }

    @Test
    void modelInfoCountsTokensPerImageSize() {
        Cli.Run info = Cli.vco("model", "info", "--model", folder.toString(), "--image-size", "1000x900,48x40");
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("image tokens:     159 for one 1000x900 image; 17 each when a prompt has two"), info.out());
        assertTrue(info.out().contains("image tokens:     36 for one 48x40 image"), info.out());
        assertEquals(List.of(159), List.of(vlm.processor().slots(List.of(new ImageDimensions(900, 1000)))[0]));
    }
}
