package org.vco4j.score;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.PreparedResponse;
import org.vco4j.request.RequestValidation;
import org.vco4j.request.ScoreRequest;
import org.vco4j.model.nn.Flops;
import org.vco4j.tensor.Tensors;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vco score} as a library call: every request of a {@link ScoreFile} scored by a checkpoint, in batches,
 * with a progress bar on standard error, and one JSON object per request written in input order,
 * {@code {"id", "images", "prompt", "response", "logp", "tokens"}} (plus {@code input_ids} and
 * {@code response_positions} when asked for).
 */
public final class ScoreJob {
    /**
     * @param batchSize      requests per forward pass
     * @param prefixSharing  whether requests with the same images and prompt share one prefix computation
     * @param emitIds        whether each line also holds the input ids and the positions of the counted response tokens
     */
    public record Settings(int batchSize, boolean prefixSharing, boolean emitIds) {
        public Settings {
            if (batchSize < 1) throw new IllegalArgumentException("batch_size must be ≥ 1, got " + batchSize);
        }
    }

    private ScoreJob() {}

    /**
     * Checks every request of {@code data}, loads {@code model} and scores them.
     *
     * @param out the JSONL file to replace (atomically), or {@code null} for standard output
     */
    public static void run(Path model, ParameterFactory parameters, Path data, Path out, Settings settings) throws IOException {
        List<ScoreRequest> requests = ScoreFile.read(data);
        if (out != null) AtomicFiles.checkTarget(out);
        try (PretrainedVlm.ProcessorOnly inputs = PretrainedVlm.processorOnly(model)) {
            RequestValidation.checkLengths(requests, inputs.processor(), data.toString());
        }
        try (PretrainedVlm vlm = PretrainedVlm.load(model, parameters)) {
            if (out == null) {
                write(vlm, data, requests, settings, System.out);
            } else {
                AtomicFiles.writeStream(out, stream -> write(vlm, data, requests, settings, stream));
            }
        }
    }

    private static void write(PretrainedVlm vlm, Path data, List<ScoreRequest> requests, Settings settings, OutputStream stream)
            throws IOException {
        Scorer scorer = new Scorer(vlm.model(), vlm.processor());
        Path root = data.toAbsolutePath().normalize().getParent();
        Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        ProgressBar progress = new ProgressBar("score", requests.size(), "requests");
        Flops.Meter meter = Flops.Meter.start();
        long tokens = 0;
        for (int start = 0; start < requests.size(); start += settings.batchSize()) {
            List<ScoreRequest> batch = requests.subList(start, Math.min(requests.size(), start + settings.batchSize()));
            try (PointerScope scope = new PointerScope()) {
                ScoredBatch scored = scorer.scoreWithoutGrad(batch, settings.prefixSharing());
                float[] logps = Tensors.toFloatArray(scored.logps());
                for (int i = 0; i < batch.size(); i++) {
                    tokens += scored.tokens()[i];
                    writer.write(Json.MAPPER.writeValueAsString(line(vlm, root, batch.get(i), logps[i], scored.tokens()[i], settings.emitIds())));
                    writer.write('\n');
                }
            }
            progress.advance(batch.size());
        }
        progress.finish();
        writer.flush();
        double seconds = meter.seconds();
        System.err.printf(java.util.Locale.ROOT, "scored %d requests (%d response tokens) in %.2f s = %.1f requests/s; %s%n",
                requests.size(), tokens, seconds, requests.size() / seconds, meter.describe(vlm.model().parameters()));
    }

    private static ObjectNode line(PretrainedVlm vlm, Path root, ScoreRequest request, float logp, long tokens, boolean emitIds) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", request.id());
        ArrayNode images = node.putArray("images");
        request.context().images().forEach(p -> images.add(root.relativize(p).toString()));
        node.put("prompt", request.context().prompt());
        node.put("response", request.response());
        node.put("logp", logp);
        node.put("tokens", tokens);
        if (emitIds) {
            long[] prompt = vlm.processor().promptIds(request.context());
            PreparedResponse response = vlm.processor().prepareResponse(request.response(), request.maskSpans());
            ArrayNode ids = node.putArray("input_ids");
            for (long id : prompt) ids.add(id);
            for (long id : response.ids()) ids.add(id);
            ArrayNode positions = node.putArray("response_positions");
            for (int t = 0; t < response.ids().length; t++) if (response.counted()[t]) positions.add(prompt.length + t);
        }
        return node;
    }
}
