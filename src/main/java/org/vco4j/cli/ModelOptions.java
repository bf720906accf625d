package org.vco4j.cli;

import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Devices;
import org.bytedeco.pytorch.global.torch.ScalarType;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every command that loads a model. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Hugging Face checkpoint folder.")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda[:N]", description = "Where the model runs (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--dtype", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16", description = "Parameter precision (default: ${DEFAULT-VALUE}).")
    String dtype;

    ParameterFactory parameterFactory() {
        return new ParameterFactory(Devices.parse(device), scalarType(dtype));
    }

    /** A {@code --dtype} value as a libtorch type. */
    static ScalarType scalarType(String dtype) {
        return switch (dtype) {
            case "fp32", "float32" -> ScalarType.Float;
            case "bf16", "bfloat16" -> ScalarType.BFloat16;
            case "fp16", "float16" -> ScalarType.Half;
            default -> throw new IllegalArgumentException("--dtype " + dtype + ": expected fp32, bf16 or fp16");
        };
    }

    PretrainedVlm load() {
        return PretrainedVlm.load(model, parameterFactory());
    }
}
