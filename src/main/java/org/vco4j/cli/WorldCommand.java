package org.vco4j.cli;

import org.vco4j.data.world.ContrastPairs;
import org.vco4j.data.world.HallucinationPairs;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.Scenes;
import org.vco4j.data.world.WorldGenerator;
import org.vco4j.data.world.WorldSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vco world}: the synthetic contrast world — generate it, and build contrast tuples and preference pairs from it. */
@Command(name = "world", mixinStandardHelpOptions = true,
        description = "The synthetic contrast world: small images of shapes with a skewed language prior.",
        subcommands = {WorldCommand.Generate.class, WorldCommand.Contrast.class, WorldCommand.Pairs.class})
final class WorldCommand extends CommandGroup {
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Render a world: images/, scenes.jsonl (ground truth), sft.jsonl (single-image captions and",
                    "questions on the train split), sft_pairs.jsonl (two-image tuples) and world.json (settings)."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "The world folder.")
        Path out;

        @Option(names = "--seed", required = true, description = "Everything follows from it.")
        long seed;

        @Option(names = "--images", defaultValue = "1200", description = "Number of scenes (default: ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--image-size", defaultValue = "64", description = "Side of the square images in pixels (default: ${DEFAULT-VALUE}).")
        int imageSize;

        @Option(names = "--prior", defaultValue = "0.8",
                description = "Probability of a shape's typical colour and of its typical count (default: ${DEFAULT-VALUE}).")
        double prior;

        @Option(names = "--cooccurrence", defaultValue = "0.8",
                description = "Probability that a scene's next shape is the previous one's typical companion (default: ${DEFAULT-VALUE}).")
        double cooccurrence;

        @Option(names = "--eval-fraction", defaultValue = "0.25", description = "Share of scenes held out for evaluation (default: ${DEFAULT-VALUE}).")
        double evalFraction;

        @Option(names = "--force", description = "Replace an existing world in --out.")
        boolean force;

        @Override
        public Integer call() throws IOException {
            WorldSettings settings = WorldSettings.of(seed, images, imageSize, prior, evalFraction, cooccurrence);
            Path absolute = out.toAbsolutePath().normalize();
            if (!force && Files.exists(absolute.resolve(WorldSettings.FILE_NAME))) {
                throw new IllegalArgumentException(absolute + " already holds a world; pass --force to replace it");
            }
            List<Scene> scenes = WorldGenerator.generate(settings, out, force);
            long eval = scenes.stream().filter(s -> s.split().equals("eval")).count();
            System.out.println("wrote " + scenes.size() + " scenes (" + (scenes.size() - eval) + " train, " + eval + " eval) to " + out);
            return 0;
        }
    }

    /** Options shared by the commands that read a world. */
    static final class WorldInput {
        @Option(names = "--world", required = true, paramLabel = "DIR", description = "A folder written by vco world generate.")
        Path world;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The data file to write.")
        Path out;

        @Mixin
        Seed random;

        @Option(names = "--split", defaultValue = "train", description = "train or eval (default: ${DEFAULT-VALUE}).")
        String split;

        List<Scene> scenes() throws IOException {
            if (!split.equals("train") && !split.equals("eval")) throw new IllegalArgumentException("--split must be train or eval, got '" + split + "'");
            return Scenes.read(world).stream().filter(s -> s.split().equals(split)).toList();
        }

        WorldSettings settings() throws IOException {
            return WorldSettings.read(world);
        }
    }

    @Command(name = "contrast", mixinStandardHelpOptions = true,
            description = {"Minimal-contrast tuples (object, attribute, count, position) with token masks over the",
                    "differing words; new images m' (and their ground truth, scenes.jsonl) go to FILE-images/."})
    static final class Contrast implements Callable<Integer> {
        @CommandLine.Mixin
        WorldInput input;

        @Override
        public Integer call() throws IOException {
            ContrastPairs.Result result = ContrastPairs.write(input.world, input.settings(), input.scenes(), input.random.seed, input.out);
            System.out.println("wrote " + result.samples().size() + " contrast tuples to " + input.out);
            return 0;
        }
    }

    @Command(name = "pairs", mixinStandardHelpOptions = true,
            description = "Preference pairs: the true caption chosen, a prior-biased hallucinated caption rejected.")
    static final class Pairs implements Callable<Integer> {
        @CommandLine.Mixin
        WorldInput input;

        @Override
        public Integer call() throws IOException {
            var pairs = HallucinationPairs.write(input.world, input.settings(), input.scenes(), input.random.seed, input.out);
            System.out.println("wrote " + pairs.size() + " preference pairs to " + input.out);
            return 0;
        }
    }
}
