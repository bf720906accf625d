package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.common.PartialRun;
import org.vco4j.common.ProgressBar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The resumable loop every endpoint pipeline of {@code vco data} shares: each input record goes through the
 * pipeline's stages on one of {@code concurrency} threads, and its outcome — the result, or the stage that failed
 * and why, with the requests and tokens it cost — is kept as one file in {@code OUT.partial/} (written atomically)
 * beside a manifest of the run's inputs and settings. A rerun with the same manifest skips every record that has its
 * file; one with another manifest is refused. An endpoint that cannot be reached stops the run (the finished
 * records stay kept); a record that fails a stage is counted and the run goes on.
 */
final class EndpointJob {
    /** One record's pipeline. */
    interface Pipeline<I> {
        /** The record's result; {@link StageFailure} when a stage could not finish it. */
        ObjectNode process(I item, UsageTally usage) throws IOException, StageFailure;
    }

    /**
     * A record's outcome.
     *
     * @param result the pipeline's result, or null when it failed
     * @param stage  the stage that failed, or null
     * @param reason why it failed, or null
     */
    record Outcome(int index, String id, ObjectNode result, String stage, String reason, UsageTally usage, boolean resumed) {
        boolean ok() {
            return result != null;
        }
    }

    private static final String MANIFEST = "manifest.json";

    private EndpointJob() {}

    /** {@code OUT.partial} beside the output. */
    static Path partialFolder(Path out) {
        return out.toAbsolutePath().normalize().resolveSibling(out.getFileName() + ".partial");
    }

    /**
     * Runs the pipeline over every item (skipping those an interrupted run finished) and returns the outcomes in
     * input order. {@code afterRecord} hears each newly kept record's index (tests interrupt a run there).
     */
    static <I> List<Outcome> run(String name, List<I> items, List<String> ids, Path out, ObjectNode manifest, int concurrency,
                                 Pipeline<I> pipeline, IntConsumer afterRecord) throws IOException {
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be >= 1, got " + concurrency);
        Path partial = partialFolder(out);
        JsonNode previous = PartialRun.resume(partial, MANIFEST, manifest);
        if (previous != null) checkSameRun(partial, previous, Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(manifest)));
        Outcome[] outcomes = new Outcome[items.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Path file = partial.resolve(recordFile(i));
            if (Files.isRegularFile(file)) outcomes[i] = read(i, Json.MAPPER.readTree(file.toFile()));
            else todo.add(i);
        }
        ProgressBar progress = new ProgressBar(name, items.size(), "records");
        progress.start(items.size() - todo.size(), items.size() - todo.size());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : todo) {
                futures.add(pool.submit(() -> {
                    UsageTally usage = new UsageTally();
                    Outcome outcome;
                    try {
                        outcome = new Outcome(i, ids.get(i), pipeline.process(items.get(i), usage), null, null, usage, false);
                    } catch (StageFailure failure) {
                        outcome = new Outcome(i, ids.get(i), null, failure.stage(), failure.getMessage(), usage, false);
                    }
                    AtomicFiles.write(partial.resolve(recordFile(i)), Json.PRETTY.writeValueAsBytes(toJson(outcome)));
                    outcomes[i] = outcome;
                    synchronized (progress) {
                        progress.advance(1);
                    }
                    afterRecord.accept(i);
                    return null;
                }));
            }
            for (Future<?> future : futures) future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        progress.finish();
        return List.of(outcomes);
    }

    /** Removes the partial folder once the output and summary are written. */
    static void finish(Path out) throws IOException {
        Folders.deleteRecursively(partialFolder(out));
    }

    /**
     * The summary's common part: records, written, failures by stage (with up to 50 examples), records resumed from
     * an interrupted run, and requests and tokens by stage.
     */
    static ObjectNode summary(List<Outcome> outcomes) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        long written = outcomes.stream().filter(Outcome::ok).count();
        node.put("records", outcomes.size());
        node.put("written", written);
        node.put("failed", outcomes.size() - written);
        Map<String, Long> byStage = new LinkedHashMap<>();
        UsageTally usage = new UsageTally();
        ArrayNode examples = Json.MAPPER.createArrayNode();
        long resumed = 0;
        for (Outcome o : outcomes) {
            usage.addAll(o.usage());
            if (o.resumed()) resumed++;
            if (o.ok()) continue;
            byStage.merge(o.stage(), 1L, Long::sum);
            if (examples.size() < 50) examples.addObject().put("id", o.id()).put("stage", o.stage()).put("reason", o.reason());
        }
        ObjectNode stages = node.putObject("failed_by_stage");
        byStage.forEach(stages::put);
        node.set("failures", examples);
        node.put("resumed_records", resumed);
        node.set("usage", usage.toJson());
        return node;
    }

    private static void checkSameRun(Path partial, JsonNode previous, JsonNode current) {
        for (Iterator<String> it = current.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!current.get(key).equals(previous.get(key))) {
                throw new IllegalArgumentException(partial + " holds an interrupted run with another " + key.replace('_', ' ')
                        + "; rerun with its options or delete it");
            }
        }
    }

    static String recordFile(int index) {
        return String.format("record-%07d.json", index);
    }

    private static ObjectNode toJson(Outcome o) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("index", o.index());
        node.put("id", o.id());
        if (o.ok()) {
            node.set("result", o.result());
        } else {
            node.put("stage", o.stage());
            node.put("reason", o.reason());
        }
        node.set("usage", o.usage().toJson());
        return node;
    }

    private static Outcome read(int index, JsonNode node) {
        JsonNode result = node.get("result");
        return new Outcome(index, node.path("id").asText(), result instanceof ObjectNode object ? object : null,
                node.path("stage").asText(null), node.path("reason").asText(null), UsageTally.fromJson(node.path("usage")), true);
    }
}
