package org.vco4j.eval.bench;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What answers a benchmark's questions: a checkpoint (plus an optional LoRA adapter) loaded in this process, or any
 * model behind an OpenAI-compatible chat-completions endpoint (a hosted model, another server, or {@code vco serve}),
 * so the same benchmarks score local and remote models alike.
 */
public interface AnsweringModel extends AutoCloseable {

    /** How the run records the model; a resumed run must describe it the same way. */
    Map<String, Object> describe();

    /** The answer to one question (its images and prompt) under the generation settings. */
    String answer(Context context, GenerationConfig generation) throws IOException;

    @Override
    void close();

    /** A checkpoint loaded on the first question (a finished run never loads it), with an adapter when given. */
    static AnsweringModel local(Path model, Supplier<PretrainedVlm> loader, Path adapter) {
        return new Local(model, loader, adapter);
    }

    /** The model an endpoint serves; images travel as data URLs. */
    static AnsweringModel endpoint(ChatClient client) {
        return new Endpoint(client);
    }

    final class Local implements AnsweringModel {
        private final Path model;
        private final Supplier<PretrainedVlm> loader;
        private final Path adapter;
        private PretrainedVlm vlm;
        private LoraAdapters adapters;
        private Generator generator;

        private Local(Path model, Supplier<PretrainedVlm> loader, Path adapter) {
            this.model = model;
            this.loader = loader;
            this.adapter = adapter;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("model", model.toAbsolutePath().normalize().toString());
            description.put("adapter", adapter == null ? null : adapter.toAbsolutePath().normalize().toString());
            return description;
        }

        @Override
        public String answer(Context context, GenerationConfig generation) {
            if (generator == null) {
                vlm = loader.get();
                if (adapter != null) {
                    adapters = LoraAdapters.load(adapter, vlm.model().module());
                    adapters.training(false);
                }
                generator = new Generator(vlm.model(), vlm.processor());
            }
            try (PointerScope scope = new PointerScope()) {
                return generator.generate(context, generation).text();
            }
        }

        @Override
        public void close() {
            if (adapters != null) adapters.close();
            if (vlm != null) vlm.close();
        }
    }

    final class Endpoint implements AnsweringModel {
        private final ChatClient client;

        private Endpoint(ChatClient client) {
            this.client = client;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("model", client.settings().model());
            description.put("endpoint", client.settings().baseUrl().toString());
            return description;
        }

        /**
         * One user message: the prompt cut at its image placeholders (images first when it has none, as everywhere
         * in vco4j), each placeholder an image part and the newline after it dropped, since chat templates put their
         * own after an image.
         */
        @Override
        public String answer(Context context, GenerationConfig generation) throws IOException {
            Context placed = context.withDefaultPlaceholders();
            List<ChatMessage.Part> parts = new ArrayList<>();
            String[] pieces = placed.prompt().split(java.util.regex.Pattern.quote(Context.IMAGE_PLACEHOLDER), -1);
            for (int i = 0; i < pieces.length; i++) {
                String text = i > 0 && pieces[i].startsWith("\n") ? pieces[i].substring(1) : pieces[i];
                if (i > 0) parts.add(ChatMessage.Part.imageUrl(dataUrl(placed.images().get(i - 1))));
                if (!text.isEmpty()) parts.add(ChatMessage.Part.text(text));
            }
            return client.complete(List.of(ChatMessage.user(parts)), generation.isGreedy() ? 0 : generation.temperature(),
                    generation.topP(), generation.maxNewTokens(), generation.isGreedy() ? null : generation.seed());
        }

        @Override
        public void close() {
        }

        /** The image file as a data URL, its type from its leading bytes. */
        static String dataUrl(Path image) throws IOException {
            return ChatMessage.Part.dataUrl(Files.readAllBytes(image), image.toString());
        }
    }
}
