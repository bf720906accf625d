package org.vco4j.cli;

import org.vco4j.common.AtomicFolder;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.RandomCheckpoint;
import org.vco4j.model.encoder.ImageEncoderFamilies;
import org.vco4j.model.encoder.PretrainedImageEncoder;
import org.vco4j.model.image.ImageDimensions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code vco model}: make and inspect checkpoints. */
@Command(name = "model", description = "Make and inspect checkpoints.", mixinStandardHelpOptions = true,
        subcommands = {ModelCommand.Init.class, ModelCommand.Info.class})
final class ModelCommand extends CommandGroup {
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write a random checkpoint in exactly the Hugging Face layout (deterministic per seed):",
                    "a tiny one of a family (--family, --size), or one of any real config.json's shape (--config, --dtype)."})
    static final class Init implements Callable<Integer> {
        @Option(names = "--family", defaultValue = "llava",
                description = "llava (LLaVA-1.5), llava-interleave (LLaVA-NeXT-Interleave) or llava-onevision; or an image encoder: clip, clip_vision_model, siglip, siglip_vision_model, dinov2 (default: ${DEFAULT-VALUE}).")
        String family;

        @Option(names = "--size", defaultValue = "tiny", description = "tiny (16 image tokens), tiny-64 (64×64 pictures, 64 image tokens: the demo's base), tiny-576 (LLaVA-1.5's 576 image tokens); with --family llava-interleave: tiny (SigLIP + Qwen2, ChatML, 16 image tokens; = --family llava --size tiny-interleave); with --family llava-onevision: tiny (SigLIP + Qwen2, 56-pixel tiles of 16 tokens, anyres_max_9).")
        String size;

        @Option(names = "--config", paramLabel = "FILE",
                description = "A real config.json (e.g. llava-hf/llava-interleave-qwen-0.5b-hf's): random weights of exactly its shape.")
        Path config;

        @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16",
                description = "Weight precision with --config (default: ${DEFAULT-VALUE}).")
        String dtype;

        @Mixin
        Seed random;

        @Mixin
        CheckpointOutput output;

        @Override
        public Integer call() throws IOException {
            Path out = output.out;
            if (Files.exists(out) && !output.force && !isEmptyDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and is not empty (use --force to replace it)");
            }
            if (config != null && isEncoderConfig(config)) {
                String modelType = PretrainedImageEncoder.writeRandom(config, out, output.force, random.seed);
                System.out.println("wrote a random " + modelType + " image encoder of " + config + "'s shape (seed "
                        + random.seed + ") to " + out);
                return 0;
            }
            if (config != null) {
                ModelFamily written = RandomCheckpoint.write(config, out, output.force, ModelOptions.scalarType(dtype), random.seed);
                System.out.println("wrote a random " + written.name() + " checkpoint of " + config + "'s shape (" + dtype
                        + ", seed " + random.seed + ") to " + out);
                return 0;
            }
            if (ImageEncoderFamilies.modelTypes().contains(family)) {
                if (!size.equals("tiny")) throw new IllegalArgumentException("--size " + size + ": image encoders come in size tiny only");
                PretrainedImageEncoder.writeTiny(family, out, output.force, random.seed);
                System.out.println("wrote " + family + " tiny image encoder (seed " + random.seed + ") to " + out);
                return 0;
            }
            ModelFamily modelFamily = ModelFamilies.named(family);
            List<String> sizes = modelFamily.tinyModels().getOrDefault(family, modelFamily.tinySizes());
            if (!sizes.contains(size)) {
                throw new IllegalArgumentException("--size " + size + ": unknown size for --family " + family + " (known: " + sizes + ")");
            }
            // Written next to the target and moved into place, so a failure leaves no half-written checkpoint.
            String tinySize = modelFamily.tinySize(family, size);
            AtomicFolder.write(out, output.force, staging -> modelFamily.writeTiny(staging, tinySize, random.seed, output.legacyKeys));
            System.out.println("wrote " + family + " " + size + " checkpoint (seed " + random.seed + ") to " + out);
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Load a checkpoint and print what it is.")
    static final class Info implements Callable<Integer> {
        @Mixin
        ModelOptions options;

        @Option(names = "--image-size", split = ",", defaultValue = "640x480,384x384",
                description = "Image sizes (WIDTHxHEIGHT, comma-separated) to count image tokens for (default: ${DEFAULT-VALUE}).")
        List<String> imageSizes;

        @Override
        public Integer call() {
            List<ImageDimensions> sizes = imageSizes.stream().map(ModelCommand::dimensions).toList();
            try (PretrainedVlm vlm = options.load()) {
                System.out.println("folder:           " + vlm.folder());
                System.out.println("family:           " + vlm.family().name());
                System.out.println("parameters:       " + vlm.model().module().parameterCount());
                System.out.println("decoder layers:   " + vlm.model().decoderLayers());
                System.out.println("vocabulary:       " + vlm.model().vocabSize());
                for (ImageDimensions size : sizes) {
                    System.out.println("image tokens:     " + vlm.processor().slots(List.of(size))[0] + " for one " + size
                            + " image; " + vlm.processor().slots(List.of(size, size))[0] + " each when a prompt has two");
                }
                System.out.println("max positions:    " + vlm.model().maxPositions());
            }
            return 0;
        }
    }

    private static ImageDimensions dimensions(String size) {
        String[] parts = size.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (parts.length == 2) return new ImageDimensions(Integer.parseInt(parts[1]), Integer.parseInt(parts[0]));
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--image-size " + size + ": expected WIDTHxHEIGHT with positive integers, e.g. 640x480");
    }

    /** Whether a config.json names an image encoder rather than a vision-language family. */
    private static boolean isEncoderConfig(Path config) {
        return ImageEncoderFamilies.modelTypes().contains(PretrainedVlm.readConfigFile(config).path("model_type").asText());
    }

    private static boolean isEmptyDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) return false;
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isEmpty();
        }
    }
}
