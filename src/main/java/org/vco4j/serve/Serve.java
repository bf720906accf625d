package org.vco4j.serve;

import org.vco4j.common.StopSignals;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.nn.ParameterFactory;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code vco serve}: a checkpoint, with a LoRA adapter merged in when given, served until SIGTERM or SIGINT. */
public final class Serve {
    private Serve() {}

    /**
     * Loads the model, serves it and returns after a clean shutdown (requests in flight are answered first).
     * The API names the model after the adapter's folder when there is one, else after the checkpoint's.
     */
    public static void run(Path model, Path adapter, ParameterFactory parameters, ServeSettings settings) {
        try (PretrainedVlm vlm = load(model, adapter, parameters)) {
            String name = (adapter != null ? adapter : model).toAbsolutePath().normalize().getFileName().toString();
            CountDownLatch stop = new CountDownLatch(1);
            try (StopSignals signals = StopSignals.install(stop::countDown);
                 ChatServer server = new ChatServer(vlm.model(), vlm.processor(), name, settings).start()) {
                System.out.printf("serving %s on http://%s:%d/v1 (batches of up to %d, %d waiting at most%s); "
                                + "stop with Ctrl-C or SIGTERM%n", name, settings.host(), server.port(), settings.maxBatch(),
                        settings.queue(), settings.apiKey() != null ? ", API key required" : "");
                stop.await();
                System.out.println("stopping: answering the requests in flight");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("stopped");
        }
    }

    /** The checkpoint, with the adapter merged into its weights (nothing left to switch off while serving). */
    static PretrainedVlm load(Path model, Path adapter, ParameterFactory parameters) {
        PretrainedVlm vlm = PretrainedVlm.load(model, parameters);
        if (adapter != null) {
            try (LoraAdapters adapters = LoraAdapters.load(adapter, vlm.model().module())) {
                adapters.merge();
            } catch (RuntimeException e) {
                vlm.close();
                throw e;
            }
        }
        return vlm;
    }
}
