package org.vco4j.cli;

import org.vco4j.model.lora.LoraMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vco export}: {@link LoraMerge#export} from the command line. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter into its base model and write a standalone Hugging Face checkpoint.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
    Path adapter;

    @Mixin
    CheckpointOutput output;

    @Override
    public Integer call() throws IOException {
        int layers = LoraMerge.export(options.model, adapter, output.out, options.parameterFactory(), output.legacyKeys, output.force);
        System.out.println("merged " + layers + " adapted layers of " + adapter + " into " + options.model + "; wrote " + output.out);
        return 0;
    }
}
