package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.Profiler;
import org.vco4j.model.KvCache;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.llama.DecoderStack;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * transformers' {@code Qwen2VLForConditionalGeneration} in the hub's key layout: the vision transformer
 * ({@code visual.*}, its patch merger projecting into the text width), the text model ({@code model.*}) and the head
 * ({@code lm_head}, absent when tied to the token embeddings). Image features fill the {@code <|image_pad|>} slots;
 * every token has three M-RoPE positions ({@link #positionIds}), computed from the images' grids, with no fallback to
 * 1-D positions: an image token without its image's grid is an error.
 *
 * <p>Owns native memory (all parameters); close it when done.
 */
public final class Qwen2VLForConditionalGeneration extends Module implements VisionLanguageModel {
    private final Qwen2VLConfig config;
    private final ParameterFactory factory;
    private final Qwen2VisionTransformer visual;
    private final Qwen2VLTextModel model;
    private final Linear lmHead; // null when tied

    public Qwen2VLForConditionalGeneration(ParameterFactory factory, Qwen2VLConfig config) {
        this.config = config;
        this.factory = factory;
        visual = child("visual", new Qwen2VisionTransformer(factory, config.vision));
        model = child("model", new Qwen2VLTextModel(factory, config));
        lmHead = config.tieWordEmbeddings ? null
                : child("lm_head", new Linear(factory, config.text.hiddenSize, config.text.vocabSize, false));
    }

    public Qwen2VLConfig config() {
        return config;
    }

    @Override public Module module() { return this; }
    @Override public ParameterFactory parameters() { return factory; }
    @Override public int maxPositions() { return config.text.maxPositionEmbeddings; }
    @Override public int vocabSize() { return config.text.vocabSize; }
    @Override public int decoderLayers() { return config.text.numHiddenLayers; }

    /** The merged features of every image, image after image (the tower checks each image's count). */
    @Override
    public Tensor encodeImages(ImageInputs images) {
        return Profiler.time("vision tower", () -> visual.forward(images));
    }

    /**
     * {@inheritDoc} The ids come from the family's processor, which puts exactly one image token per merged patch
     * (and refuses responses holding one), so nothing is read back from the device here.
     */
    @Override
    public Tensor embed(Tensor inputIds, Tensor imageFeatures) {
        Tensor embeds = model.embedTokens().forward(inputIds);
        if (imageFeatures == null) return embeds;
        Tensor mask = inputIds.eq(new Scalar(config.imageTokenId)).unsqueeze(-1).expand_as(embeds);
        return embeds.masked_scatter(mask, imageFeatures.to(embeds.scalar_type()));
    }

    /**
     * M-RoPE position ids [3, B, T] ({@code get_rope_index}). With nothing cached, each row's real tokens (those
     * {@code keyValid} marks) are numbered by {@link Qwen2VLRopeIndex} from 0 at the row's first real token, the images
     * taking their grids from {@code images} in order; padding gets 1; each row's rope delta goes into {@code cache}.
     * After cached positions, a new token's three positions are its row's count of real tokens before it plus the
     * row's delta, as transformers continues from {@code rope_deltas}.
     */
    @Override
    public Tensor positionIds(Tensor inputIds, ImageInputs images, Tensor keyValid, KvCache cache) {
        long past = cache == null ? 0 : cache.length();
        int batch = (int) inputIds.size(0);
        int length = (int) inputIds.size(1);
        if (past > 0) {
            // No read of the ids here (a device round trip per generated token): the processor puts image tokens only
            // in prompts, so only images handed to a cached pass can be out of place.
            if (images != null) {
                throw new IllegalArgumentException("images after " + past + " cached positions: Qwen2-VL's images must "
                        + "be in the pass that starts the cache");
            }
            Tensor deltas = cache.ropeDeltas();
            if (deltas == null || deltas.size(0) != batch) {
                throw new IllegalStateException("the cache of " + past + " positions holds no rope delta for each of its "
                        + batch + " rows: its first pass did not compute M-RoPE positions");
            }
            Tensor valid = keyValid != null ? keyValid
                    : org.bytedeco.pytorch.global.torch.ones(new long[] {batch, past + length}, factory.options(ScalarType.Bool));
            Tensor positions = DecoderStack.countedPositions(valid, past, length).add(deltas.to(valid.device(), ScalarType.Long).unsqueeze(1));
            return positions.unsqueeze(0).expand(new long[] {3, batch, length});
        }
        long[] ids = Tensors.toLongArray(inputIds);
        long[] valid = keyValid == null ? null : Tensors.toLongArray(keyValid);
        List<int[]> grids = grids(images);
        int merge = config.vision.spatialMergeSize;
        long[] out = new long[3 * batch * length];
        Arrays.fill(out, 1);
        long[] deltas = new long[batch];
        int nextImage = 0;
        for (int b = 0; b < batch; b++) {
            int[] columns = new int[length];
            int count = 0;
            for (int t = 0; t < length; t++) if (valid == null || valid[b * length + t] != 0) columns[count++] = t;
            long[] rowIds = new long[count];
            long imageTokens = 0;
            for (int i = 0; i < count; i++) {
                rowIds[i] = ids[b * length + columns[i]];
                if (rowIds[i] == config.imageTokenId) imageTokens++;
            }
            List<int[]> rowGrids = new ArrayList<>();
            long covered = 0;
            while (covered < imageTokens) {
                if (nextImage >= grids.size()) {
                    throw new IllegalArgumentException("the input ids hold more image tokens than the " + grids.size()
                            + " image(s) given have slots (row " + b + ")");
                }
                int[] grid = grids.get(nextImage++);
                rowGrids.add(grid);
                covered += (long) grid[0] * (grid[1] / merge) * (grid[2] / merge);
            }
            if (covered != imageTokens) {
                throw new IllegalArgumentException("row " + b + " has " + imageTokens + " image tokens but its images' grids "
                        + "make " + covered);
            }
            Qwen2VLRopeIndex index = Qwen2VLRopeIndex.of(rowIds, config.imageTokenId, rowGrids, merge);
            for (int axis = 0; axis < 3; axis++) {
                for (int i = 0; i < count; i++) out[(axis * batch + b) * length + columns[i]] = index.positions()[axis][i];
            }
            deltas[b] = index.delta();
        }
        if (nextImage != grids.size()) {
            throw new IllegalArgumentException(grids.size() + " image(s) were given but the input ids have image tokens for "
                    + nextImage);
        }
        if (cache != null) cache.setRopeDeltas(Tensors.upload(Tensors.longs(deltas), factory.device(), ScalarType.Long));
        return Tensors.upload(Tensors.longs(out, 3, batch, length), factory.device(), ScalarType.Long);
    }

    /** Each image's grid {t, h, w} in patches ({@code image_grid_thw}); an image without its grid is an error. */
    private static List<int[]> grids(ImageInputs images) {
        List<int[]> grids = new ArrayList<>();
        if (images == null) return grids;
        for (ImageInput image : images.images()) {
            if (image.gridHeight() <= 0 || image.gridWidth() <= 0) {
                throw new IllegalArgumentException(image.name() + ": no patch grid (image_grid_thw) was given with the image; "
                        + "Qwen2-VL's M-RoPE positions need every image's grid and never fall back to 1-D positions");
            }
            long patches = (long) image.gridHeight() * image.gridWidth();
            if (image.rows() % patches != 0) {
                throw new IllegalArgumentException(image.name() + ": " + image.rows() + " patch rows do not fill a grid of "
                        + image.gridHeight() + "×" + image.gridWidth() + " patches");
            }
            grids.add(new int[] {(int) (image.rows() / patches), image.gridHeight(), image.gridWidth()});
        }
        return grids;
    }

    /** Needs the M-RoPE ids of {@link #positionIds}; without them the decoder refuses to run. */
    @Override
    public Tensor decode(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache, long readFrom) {
        return model.forward(inputsEmbeds, positionIds, keyValid, cache, readFrom);
    }

    @Override
    public Tensor logits(Tensor hidden) {
        return lmHead == null ? Flops.linear(hidden, model.embedTokens().weight(), null) : lmHead.forward(hidden);
    }
}
