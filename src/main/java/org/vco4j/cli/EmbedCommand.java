package org.vco4j.cli;

import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vco embed}: {@link EmbeddingJob} from the command line. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"L2-normalised image embeddings from a CLIP, SigLIP or DINOv2 folder (model_type clip, "
                + "clip_vision_model, siglip, siglip_vision_model, dinov2).",
                "Output: safetensors with the tensor \"embeddings\" [images, dim] and the metadata \"ids\" (a JSON array "
                        + "of the image paths, sorted, in row order). An interrupted run resumes from FILE.partial."})
final class EmbedCommand implements Callable<Integer> {
    @Option(names = "--encoder", required = true, paramLabel = "DIR", description = "Hugging Face folder of the image encoder.")
    Path encoder;

    @Option(names = "--images", required = true, paramLabel = "DIR|LIST",
            description = "A folder (every png, jpg, jpeg, bmp, gif below it; ids relative to it) or a text file of image paths, one a line.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "Where to write the embeddings (atomically).")
    Path out;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda[:N]", description = "Where the encoder runs (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16", description = "Parameter precision (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Override
    public Integer call() throws IOException {
        ParameterFactory factory = new ParameterFactory(Devices.parse(device), ModelOptions.scalarType(dtype));
        Flops.Meter meter = Flops.Meter.start();
        EmbeddingJob.Result result = EmbeddingJob.run(encoder, factory, images, out, batchSize);
        System.err.printf(Locale.ROOT, "embed: %.1f s; %s%n", meter.seconds(), meter.describe(factory));
        System.out.println(String.format(Locale.ROOT, "embedded %d images (%d resumed) into %s: dim %d, %.1f images/s",
                result.images(), result.resumed(), out, result.dimension(), result.imagesPerSecond()));
        return 0;
    }
}
