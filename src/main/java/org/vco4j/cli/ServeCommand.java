package org.vco4j.cli;

import org.vco4j.serve.Serve;
import org.vco4j.serve.ServeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vco serve}: an OpenAI-compatible chat-completions server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a checkpoint (and LoRA adapter) through OpenAI's chat-completions API: POST /v1/chat/completions "
                + "(text and image parts, streaming), GET /v1/models, GET /health. Concurrent requests are batched on the model.",
                "Stops cleanly on SIGTERM or Ctrl-C: requests in flight are answered first."})
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder, merged into the model; the API names the model after it.")
    Path adapter;

    @Option(names = "--host", defaultValue = ServeSettings.DEFAULT_HOST, description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--image-root", paramLabel = "DIR",
            description = "The only folder whose image files requests may name (as a path or file:// URL); without it, data URLs only.")
    Path imageRoot;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:VCO_API_KEY}",
            description = "Require 'Authorization: Bearer KEY' (default: the environment variable VCO_API_KEY; none if unset).")
    String apiKey;

    @Option(names = "--max-batch", defaultValue = "" + ServeSettings.DEFAULT_MAX_BATCH,
            description = "Most requests decoded together (default: ${DEFAULT-VALUE}; 1 turns batching off).")
    int maxBatch;

    @Option(names = "--queue", defaultValue = "" + ServeSettings.DEFAULT_QUEUE,
            description = "Most requests waiting for the batch; more are answered 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-request-bytes", defaultValue = "" + ServeSettings.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest request body; larger ones are answered 413 (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--max-image-bytes", defaultValue = "" + ServeSettings.DEFAULT_MAX_IMAGE_BYTES,
            description = "Largest image file (default: ${DEFAULT-VALUE}).")
    long maxImageBytes;

    @Option(names = "--max-image-pixels", defaultValue = "" + ServeSettings.DEFAULT_MAX_IMAGE_PIXELS,
            description = "Most pixels (width × height) of one image (default: ${DEFAULT-VALUE}).")
    long maxImagePixels;

    @Override
    public Integer call() {
        ServeSettings settings = new ServeSettings(host, port, imageRoot, apiKey, maxBatch, queue, maxRequestBytes, maxImageBytes,
                maxImagePixels);
        Serve.run(options.model, adapter, options.parameterFactory(), settings);
        return 0;
    }
}
