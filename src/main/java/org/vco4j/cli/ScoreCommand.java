package org.vco4j.cli;

import org.vco4j.common.ProgressBar;
import org.vco4j.common.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.processing.PreparedResponse;
import org.vco4j.score.ScoreFile;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vco score}: summed log-probabilities of responses under their conditions. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Summed log-probability of each response given its images and prompt.",
                "Input JSONL lines: {\"id\", \"images\": [paths relative to the file], \"prompt\", \"response\", "
                        + "\"mask\": [[start, end], ...]} (images and mask optional).",
                "Output JSONL lines: {\"id\", \"images\", \"prompt\", \"response\", \"logp\", \"tokens\"}."})
final class ScoreCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.MAPPER;

    @Mixin
    ModelOptions options;

    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Requests to score.")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Write results here (atomically) instead of standard output.")
    Path out;

    @Option(names = "--emit-ids", description = "Also write input_ids and the positions of the counted response tokens.")
    boolean emitIds;

    @Option(names = "--batch-size", defaultValue = "8", description = "Requests per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-prefix-sharing", description = "Recompute images and prompt for every request.")
    boolean noPrefixSharing;

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be ≥ 1");
        List<ScoreRequest> requests = ScoreFile.read(data);
        try (PretrainedVlm vlm = options.load()) {
            Scorer scorer = new Scorer(vlm.model(), vlm.processor());
            Path temporary = out == null ? null : Files.createTempFile(out.toAbsolutePath().getParent(), ".score", ".tmp");
            try (Writer writer = temporary == null
                    ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                    : Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                ProgressBar progress = new ProgressBar("score", requests.size(), "requests");
                for (int start = 0; start < requests.size(); start += batchSize) {
                    List<ScoreRequest> batch = requests.subList(start, Math.min(requests.size(), start + batchSize));
                    try (PointerScope scope = new PointerScope()) {
                        ScoredBatch scored = scorer.scoreWithoutGrad(batch, !noPrefixSharing);
                        float[] logps = Tensors.toFloatArray(scored.logps());
                        for (int i = 0; i < batch.size(); i++) {
                            writer.write(JSON.writeValueAsString(line(vlm, data, batch.get(i), logps[i], scored.tokens()[i])));
                            writer.write('\n');
                        }
                    }
                    progress.advance(batch.size());
                }
                progress.finish();
                writer.flush();
            } catch (IOException | RuntimeException e) {
                if (temporary != null) Files.deleteIfExists(temporary);
                throw e;
            }
            if (temporary != null) Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return 0;
    }

    private ObjectNode line(PretrainedVlm vlm, Path dataFile, ScoreRequest request, float logp, long tokens) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", request.id());
        ArrayNode images = node.putArray("images");
        Path root = dataFile.toAbsolutePath().normalize().getParent();
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
