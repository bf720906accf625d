package org.vco4j.model.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of a Hugging Face {@code CLIPImageProcessor}, {@code SiglipImageProcessor} or
 * {@code LlavaOnevisionImageProcessor}, read from and written to {@code preprocessor_config.json} with the same key
 * names and defaults.
 *
 * <p>{@code image_processor_type} picks the defaults for absent keys: {@code SiglipImageProcessor} (or its
 * {@code Fast} variant) starts from {@link #siglipDefaults()} (exact 224×224 resize, no centre crop, mean and
 * std 0.5); {@code LlavaOnevisionImageProcessor} from {@link #onevisionBuilder()} (exact 384×384, no centre crop, but
 * OpenAI CLIP's mean and std: only the hub files set 0.5); anything else, or no type, from CLIPImageProcessor's.
 * SigLIP's {@code size: {"height": 384, "width": 384}} resizes to exactly that size, ignoring the aspect ratio.
 * LLaVA-OneVision's own keys ({@code image_grid_pinpoints}, {@code do_pad}) are read by that family.
 *
 * <p>Unknown keys are ignored. A bare integer {@code size} means a shortest edge and a bare integer
 * {@code crop_size} a square, as transformers reads them. {@code use_square_size: true} turns a shortest
 * edge into a square size, as CLIPImageProcessor does.
 *
 * <p>{@link #imageAspectRatio()} is LLaVA's {@code image_aspect_ratio}, which LLaVA keeps in the model's
 * {@code config.json}; here it may also be given as {@code image_aspect_ratio} in this file. Only
 * {@code "pad"} changes anything (see {@link ImageProcessor}); {@code "square"} or absent means no padding.
 */
public final class PreprocessorConfig {
    /** The file name inside a checkpoint folder. */
    public static final String FILE_NAME = "preprocessor_config.json";
    /** OpenAI CLIP's normalisation statistics, CLIPImageProcessor's defaults. */
    public static final double[] CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
    /** transformers' default {@code rescale_factor}, 1/255. */
    public static final double DEFAULT_RESCALE_FACTOR = 1 / 255.0;
    /** transformers' {@code IMAGENET_STANDARD_MEAN} and {@code _STD}, SiglipImageProcessor's defaults. */
    public static final double[] STANDARD_MEAN = {0.5, 0.5, 0.5};
    public static final double[] STANDARD_STD = {0.5, 0.5, 0.5};
    /** The {@code image_processor_type} of CLIP checkpoints, and the default. */
    public static final String CLIP_PROCESSOR = "CLIPImageProcessor";
    /** The {@code image_processor_type} of SigLIP checkpoints (llava-interleave). */
    public static final String SIGLIP_PROCESSOR = "SiglipImageProcessor";
    /** The {@code image_processor_type} of LLaVA-OneVision checkpoints. */
    public static final String ONEVISION_PROCESSOR = "LlavaOnevisionImageProcessor";


    private final boolean doResize;
    private final ImageSize size;
    private final ResampleFilter resample;
    private final boolean doCenterCrop;
    private final ImageSize cropSize;
    private final boolean doRescale;
    private final double rescaleFactor;
    private final boolean doNormalize;
    private final double[] imageMean;
    private final double[] imageStd;
    private final boolean doConvertRgb;
    private final String imageAspectRatio;
    private final String processorType;

    private PreprocessorConfig(Builder b) {
        if (b.cropSize.isShortestEdge()) {
            throw new IllegalArgumentException("crop_size needs height and width, got shortest_edge");
        }
        if (!(b.rescaleFactor > 0) || !Double.isFinite(b.rescaleFactor)) {
            throw new IllegalArgumentException("rescale_factor must be a positive number, got " + b.rescaleFactor);
        }
        this.doResize = b.doResize;
        this.size = b.size;
        this.resample = b.resample;
        this.doCenterCrop = b.doCenterCrop;
        this.cropSize = b.cropSize;
        this.doRescale = b.doRescale;
        this.rescaleFactor = b.rescaleFactor;
        this.doNormalize = b.doNormalize;
        this.imageMean = channels("image_mean", b.imageMean, false);
        this.imageStd = channels("image_std", b.imageStd, true);
        this.doConvertRgb = b.doConvertRgb;
        this.imageAspectRatio = aspectRatio(b.imageAspectRatio);
        this.processorType = Objects.requireNonNull(b.processorType, "processorType");
    }

    /** CLIPImageProcessor's defaults (224 pixels, bicubic, CLIP statistics). */
    public static PreprocessorConfig clipDefaults() {
        return builder().build();
    }

    /**
     * SiglipImageProcessor's defaults: resize to exactly 224×224 (bicubic), no centre crop, rescale 1/255,
     * mean and std 0.5 (pixel values in [−1, 1]).
     */
    public static PreprocessorConfig siglipDefaults() {
        return siglipBuilder().build();
    }

    /** A builder starting from CLIPImageProcessor's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from SiglipImageProcessor's defaults. */
    public static Builder siglipBuilder() {
        return new Builder().processorType(SIGLIP_PROCESSOR).size(ImageSize.exact(224, 224)).doCenterCrop(false)
                .imageMean(STANDARD_MEAN).imageStd(STANDARD_STD);
    }

    /**
     * A builder starting from LlavaOnevisionImageProcessor's class defaults: resize to exactly 384×384 (bicubic), no
     * centre crop, rescale 1/255 and OpenAI CLIP's mean and std (the hub checkpoints override them with 0.5).
     */
    public static Builder onevisionBuilder() {
        return new Builder().processorType(ONEVISION_PROCESSOR).size(ImageSize.exact(384, 384)).doCenterCrop(false);
    }

    /** Whether {@code image_processor_type} names SigLIP's processor, whose defaults differ from CLIP's. */
    static boolean isSiglip(String type) {
        return SIGLIP_PROCESSOR.equals(type) || (SIGLIP_PROCESSOR + "Fast").equals(type);
    }

    /** Whether {@code image_processor_type} names LLaVA-OneVision's processor (or its {@code Fast} variant). */
    public static boolean isOnevision(String type) {
        return ONEVISION_PROCESSOR.equals(type) || (ONEVISION_PROCESSOR + "Fast").equals(type);
    }

    /** Whether the processor type has no centre-crop step (SigLIP's, LLaVA-OneVision's). */
    private static boolean hasNoCrop(String type) {
        return isSiglip(type) || isOnevision(type);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.doResize = doResize;
        b.size = size;
        b.resample = resample;
        b.doCenterCrop = doCenterCrop;
        b.cropSize = cropSize;
        b.doRescale = doRescale;
        b.rescaleFactor = rescaleFactor;
        b.doNormalize = doNormalize;
        b.imageMean = imageMean.clone();
        b.imageStd = imageStd.clone();
        b.doConvertRgb = doConvertRgb;
        b.imageAspectRatio = imageAspectRatio;
        b.processorType = processorType;
        return b;
    }

    /**
     * Reads {@code preprocessor_config.json}; {@code path} is the file or the checkpoint folder holding it.
     *
     * @throws IOException naming the file when it is missing, is not JSON, or holds invalid values
     */
    public static PreprocessorConfig read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException("image preprocessor config not found: " + file, e);
        } catch (JsonProcessingException e) {
            throw new IOException("image preprocessor config " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("image preprocessor config " + file + " must hold a JSON object");
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid image preprocessor config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a {@code preprocessor_config.json} object. */
    public static PreprocessorConfig fromJson(JsonNode root) {
        String type = null;
        if (present(root, "image_processor_type")) {
            JsonNode t = root.get("image_processor_type");
            if (!t.isTextual()) throw new IllegalArgumentException("image_processor_type must be a string, got " + t);
            type = t.textValue();
        }
        Builder b = isSiglip(type) ? siglipBuilder().processorType(type)
                : isOnevision(type) ? onevisionBuilder().processorType(type) : builder();
        b.doResize = bool(root, "do_resize", b.doResize);
        if (present(root, "size")) b.size = ImageSize.fromJson("size", root.get("size"), false);
        if (bool(root, "use_square_size", false) && b.size.isShortestEdge()) {
            b.size = ImageSize.exact(b.size.shortestEdge(), b.size.shortestEdge());
        }
        if (present(root, "resample")) {
            JsonNode r = root.get("resample");
            if (!r.isIntegralNumber()) throw new IllegalArgumentException("resample must be an integer, got " + r);
            b.resample = ResampleFilter.fromPilCode(r.intValue());
        }
        b.doCenterCrop = bool(root, "do_center_crop", b.doCenterCrop);
        if (present(root, "crop_size")) b.cropSize = ImageSize.fromJson("crop_size", root.get("crop_size"), true);
        b.doRescale = bool(root, "do_rescale", b.doRescale);
        if (present(root, "rescale_factor")) b.rescaleFactor = number(root.get("rescale_factor"), "rescale_factor");
        b.doNormalize = bool(root, "do_normalize", b.doNormalize);
        if (present(root, "image_mean")) b.imageMean = numbers(root.get("image_mean"), "image_mean");
        if (present(root, "image_std")) b.imageStd = numbers(root.get("image_std"), "image_std");
        b.doConvertRgb = bool(root, "do_convert_rgb", b.doConvertRgb);
        if (present(root, "image_aspect_ratio")) {
            JsonNode a = root.get("image_aspect_ratio");
            if (!a.isTextual()) throw new IllegalArgumentException("image_aspect_ratio must be a string, got " + a);
            b.imageAspectRatio = a.textValue();
        }
        return b.build();
    }

    /**
     * The JSON object transformers would write for an image processor of this type with these settings.
     * SigLIP's and LLaVA-OneVision's processors have no centre crop: their files carry no crop keys unless cropping
     * was turned on.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (!hasNoCrop(processorType) || doCenterCrop) {
            o.set("crop_size", Json.MAPPER.valueToTree(cropSize));
            o.put("do_center_crop", doCenterCrop);
        }
        o.put("do_convert_rgb", doConvertRgb);
        o.put("do_normalize", doNormalize);
        o.put("do_rescale", doRescale);
        o.put("do_resize", doResize);
        o.put("image_processor_type", processorType);
        ArrayNode mean = o.putArray("image_mean");
        for (double v : imageMean) mean.add(v);
        ArrayNode std = o.putArray("image_std");
        for (double v : imageStd) std.add(v);
        o.put("resample", resample.pilCode());
        o.put("rescale_factor", rescaleFactor);
        o.set("size", Json.MAPPER.valueToTree(size));
        if (imageAspectRatio != null) o.put("image_aspect_ratio", imageAspectRatio);
        return o;
    }

    /** Writes {@code preprocessor_config.json}; {@code path} is the file or an existing folder. */
    public void write(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        Files.write(file, (Json.PRETTY.writeValueAsString(toJson()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public boolean doResize() { return doResize; }
    public ImageSize size() { return size; }
    public ResampleFilter resample() { return resample; }
    public boolean doCenterCrop() { return doCenterCrop; }
    public ImageSize cropSize() { return cropSize; }
    public boolean doRescale() { return doRescale; }
    public double rescaleFactor() { return rescaleFactor; }
    public boolean doNormalize() { return doNormalize; }
    public double[] imageMean() { return imageMean.clone(); }
    public double[] imageStd() { return imageStd.clone(); }
    public boolean doConvertRgb() { return doConvertRgb; }
    /** LLaVA's {@code image_aspect_ratio}: {@code "pad"}, {@code "square"} or null. */
    public String imageAspectRatio() { return imageAspectRatio; }

    /** {@code image_processor_type}: {@value #CLIP_PROCESSOR} unless the file named another. */
    public String processorType() { return processorType; }

    /** Whether images are padded to a square first (LLaVA's {@code image_aspect_ratio == "pad"}). */
    public boolean padToSquare() {
        return "pad".equals(imageAspectRatio);
    }

    /**
     * LLaVA's padding colour, {@code tuple(int(x * 255) for x in image_mean)}: truncated, not rounded,
     * so CLIP's statistics give (122, 116, 104).
     */
    public int[] backgroundColor() {
        int[] c = new int[3];
        for (int i = 0; i < 3; i++) c[i] = Math.max(0, Math.min(255, (int) (imageMean[i] * 255)));
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreprocessorConfig c && doResize == c.doResize && size.equals(c.size) && resample == c.resample
                && doCenterCrop == c.doCenterCrop && cropSize.equals(c.cropSize) && doRescale == c.doRescale
                && rescaleFactor == c.rescaleFactor && doNormalize == c.doNormalize && Arrays.equals(imageMean, c.imageMean)
                && Arrays.equals(imageStd, c.imageStd) && doConvertRgb == c.doConvertRgb
                && Objects.equals(imageAspectRatio, c.imageAspectRatio) && processorType.equals(c.processorType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, cropSize, resample, rescaleFactor, Arrays.hashCode(imageMean), Arrays.hashCode(imageStd), imageAspectRatio, processorType);
    }

    @Override
    public String toString() {
        return "PreprocessorConfig" + toJson();
    }

    private static boolean present(JsonNode root, String key) {
        return root.has(key) && !root.get(key).isNull();
    }

    private static boolean bool(JsonNode root, String key, boolean fallback) {
        if (!present(root, key)) return fallback;
        JsonNode v = root.get(key);
        if (!v.isBoolean()) throw new IllegalArgumentException(key + " must be true or false, got " + v);
        return v.booleanValue();
    }

    private static double number(JsonNode v, String key) {
        if (!v.isNumber()) throw new IllegalArgumentException(key + " must be a number, got " + v);
        return v.doubleValue();
    }

    private static double[] numbers(JsonNode v, String key) {
        if (v.isNumber()) return new double[] {v.doubleValue()};
        if (!v.isArray()) throw new IllegalArgumentException(key + " must be a number or a list of numbers, got " + v);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = number(v.get(i), key + "[" + i + "]");
        return out;
    }

    private static double[] channels(String key, double[] values, boolean nonZero) {
        // A single value applies to every channel, as transformers' normalize does with a scalar.
        double[] out = values.length == 1 ? new double[] {values[0], values[0], values[0]} : values.clone();
        if (out.length != 3) {
            throw new IllegalArgumentException(key + " must have 3 values (one per RGB channel), got " + values.length);
        }
        for (double v : out) {
            if (!Double.isFinite(v) || (nonZero && v == 0)) {
                throw new IllegalArgumentException(key + " has an invalid value " + v);
            }
        }
        return out;
    }

    private static String aspectRatio(String value) {
        if (value == null || value.equals("pad") || value.equals("square")) return value;
        throw new IllegalArgumentException("image_aspect_ratio '" + value + "' is not supported: use \"pad\" or \"square\"");
    }

    /**
     * Mutable settings for {@link PreprocessorConfig}; starts at CLIPImageProcessor's defaults
     * ({@link PreprocessorConfig#siglipBuilder()} at SigLIP's).
     */
    public static final class Builder {
        private boolean doResize = true;
        private ImageSize size = ImageSize.shortestEdge(224);
        private ResampleFilter resample = ResampleFilter.BICUBIC;
        private boolean doCenterCrop = true;
        private ImageSize cropSize = ImageSize.exact(224, 224);
        private boolean doRescale = true;
        private double rescaleFactor = DEFAULT_RESCALE_FACTOR;
        private boolean doNormalize = true;
        private double[] imageMean = CLIP_MEAN.clone();
        private double[] imageStd = CLIP_STD.clone();
        private boolean doConvertRgb = true;
        private String imageAspectRatio;
        private String processorType = CLIP_PROCESSOR;

        private Builder() {}

        public Builder doResize(boolean v) { doResize = v; return this; }
        public Builder size(ImageSize v) { size = Objects.requireNonNull(v, "size"); return this; }
        /** Square input resolution: shortest edge and centre crop both {@code n}, as CLIP checkpoints use. */
        public Builder resolution(int n) { size = ImageSize.shortestEdge(n); cropSize = ImageSize.exact(n, n); return this; }
        public Builder resample(ResampleFilter v) { resample = Objects.requireNonNull(v, "resample"); return this; }
        public Builder doCenterCrop(boolean v) { doCenterCrop = v; return this; }
        public Builder cropSize(ImageSize v) { cropSize = Objects.requireNonNull(v, "cropSize"); return this; }
        public Builder doRescale(boolean v) { doRescale = v; return this; }
        public Builder rescaleFactor(double v) { rescaleFactor = v; return this; }
        public Builder doNormalize(boolean v) { doNormalize = v; return this; }
        public Builder imageMean(double... v) { imageMean = v.clone(); return this; }
        public Builder imageStd(double... v) { imageStd = v.clone(); return this; }
        public Builder doConvertRgb(boolean v) { doConvertRgb = v; return this; }
        /** LLaVA's {@code image_aspect_ratio}: {@code "pad"}, {@code "square"} or null. */
        public Builder imageAspectRatio(String v) { imageAspectRatio = v; return this; }

        /** {@code image_processor_type} as written by {@link #toJson()}; changes no other setting. */
        public Builder processorType(String v) { processorType = Objects.requireNonNull(v, "processorType"); return this; }

        public PreprocessorConfig build() {
            return new PreprocessorConfig(this);
        }
    }
}
