package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.Span;
import org.vco4j.data.imports.RecordFile;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code vco data annotate-pairs}: JoMPO's VTC annotation (Sections 4.2–4.3, Appendix D) of CLIP-blind pairs over a
 * VLM endpoint. For each pair of images:
 * <ol>
 *   <li><b>categorisation</b>: the VLM scores every one of the nine visual contrast types of MMVP's taxonomy (Tong et
 *       al.) for <em>importance</em> (how relevant the type is to this pair) and <em>hallucination likelihood</em> (how
 *       likely a VLM misreads that contrast), 1–10 each with a rationale; the type with the highest sum is kept
 *       (ties: higher importance, then the taxonomy's order);</li>
 *   <li><b>text generation</b>: shown in-context exemplars of that type ({@code vtc-exemplars.json}, a resource), the
 *       VLM writes one shared prompt and two responses in one style that differ only where the images differ.</li>
 * </ol>
 * A kept pair becomes the tuple {@code (m, m', x, y, y')} with the type as its contrast and token masks over the
 * differing words ({@link CharDiff}), the shape {@code vco train --objective jompo} reads; responses that differ in
 * more than half their text are sent back to the VLM. {@code FILE.review.md} lists every pair for the light human
 * verification the paper applies. Runs through {@link EndpointJob}.
 */
public final class VtcAnnotation {
    /** MMVP's nine visual patterns as JoMPO names and describes them (Appendix D.1). */
    static final Map<String, String> CONTRAST_TYPES = new LinkedHashMap<>();

    static {
        CONTRAST_TYPES.put("Orientation and Direction", "the facing or movement direction of subjects, such as left versus right orientation of people, animals or vehicles");
        CONTRAST_TYPES.put("Presence of Specific Features", "whether specific elements or attributes are present or absent");
        CONTRAST_TYPES.put("State and Condition", "dynamic or situational properties, such as whether a flag is waving or the ground is wet");
        CONTRAST_TYPES.put("Quantity and Count", "numerical distinctions, such as the number of visible objects or entities");
        CONTRAST_TYPES.put("Positional and Relational Context", "spatial relationships among elements, such as above/below or near/far");
        CONTRAST_TYPES.put("Color and Appearance", "perceptual qualities such as colour, shading or surface texture");
        CONTRAST_TYPES.put("Structural and Physical Characteristics", "the shape, size, material or structural integrity of objects");
        CONTRAST_TYPES.put("Text and Symbols", "the presence and content of text or signage");
        CONTRAST_TYPES.put("Viewpoint and Perspective", "the camera angle or framing, such as a top-down versus a side view");
    }

    static final String CATEGORIZE_PROMPT = """
            You compare two images that an image encoder finds almost identical but that differ in visual detail. For \
            each of the nine visual contrast types below, judge this pair:
            importance (1-10): how relevant the type is to how these two images differ;
            hallucination_likelihood (1-10): how likely a vision-language model is to misread this difference.
            Give a short rationale for each score.
            Types:
            %s
            Answer with only this JSON object, one entry per type, each type exactly once:
            {"scores": [{"type": "<type name>", "importance": 1-10, "importance_rationale": "...", \
            "hallucination_likelihood": 1-10, "hallucination_rationale": "..."}, ...]}""";

    static final String WRITE_PROMPT = """
            You write training data about two images that differ in one visual detail of the type "%s" (%s). Write \
            one prompt that applies to both images, and two responses: response_1 true of the first image, \
            response_2 true of the second. The two responses share one style and wording and differ only in the \
            words that describe where the images differ. Follow the style of these examples:
            %s
            Answer with only this JSON object: {"prompt": "...", "response_1": "...", "response_2": "..."}""";

    public record Settings(ChatClient annotator, int answerAttempts, double temperature, int concurrency) {
        public Settings {
            if (answerAttempts < 1) throw new IllegalArgumentException("--answer-attempts must be >= 1, got " + answerAttempts);
        }
    }

    public record Result(int records, long written, long failed, Path summary, Path review) {}

    private record Pair(String id, Path first, Path second, String firstId, String secondId) {}

    private VtcAnnotation() {}

    /** {@code FILE.review.md} beside {@code FILE.jsonl}. */
    public static Path reviewFile(Path out) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return out.toAbsolutePath().normalize().resolveSibling(stem + ".review.md");
    }

    public static Result run(Settings settings, Path pairsFile, Path images, Path out) throws IOException {
        return run(settings, pairsFile, images, out, index -> {});
    }

    public static Result run(Settings settings, Path pairsFile, Path images, Path out, IntConsumer afterRecord) throws IOException {
        AtomicFiles.checkTarget(out);
        Path folder = images.toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(folder)) throw new IllegalArgumentException("option --images: " + images + " is not a folder");
        Map<String, List<ObjectNode>> exemplars = exemplars();
        List<Pair> pairs = new ArrayList<>();
        RecordFile.read(pairsFile, (record, bytesRead) -> {
            List<JsonNode> ids = record.list("images");
            if (ids.size() != 2) throw record.error("images", "a CLIP-blind pair has two images, got " + ids.size());
            String a = record.text(ids.get(0), "images");
            String b = record.text(ids.get(1), "images");
            if (a.equals(b)) throw record.error("images", "both images are '" + a + "'");
            pairs.add(new Pair("vtc-" + record.ordinal(), EndpointPipelines.image(record, a, folder), EndpointPipelines.image(record, b, folder), a, b));
        });
        if (pairs.isEmpty()) throw new IllegalArgumentException(pairsFile + ": no pairs");
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.set("input", EndpointPipelines.describe(pairsFile));
        manifest.put("images", folder.toString());
        manifest.set("annotator", EndpointPipelines.describe(settings.annotator().settings()));
        manifest.put("answer_attempts", settings.answerAttempts());
        manifest.put("temperature", settings.temperature());
        List<EndpointJob.Outcome> outcomes = EndpointJob.run("annotate-pairs", pairs, pairs.stream().map(Pair::id).toList(), out, manifest,
                settings.concurrency(), (pair, usage) -> annotate(settings, exemplars, pair, usage), afterRecord);
        DataImages placed = new DataImages(out, DataImages.folderBeside(out));
        List<Sample> samples = new ArrayList<>();
        ObjectNode summary = EndpointJob.summary(outcomes);
        ObjectNode byType = summary.putObject("written_by_contrast_type");
        for (int i = 0; i < outcomes.size(); i++) {
            EndpointJob.Outcome outcome = outcomes.get(i);
            if (!outcome.ok()) continue;
            JsonNode r = outcome.result();
            String first = r.get("response_1").asText();
            String second = r.get("response_2").asText();
            Pair pair = pairs.get(i);
            samples.add(new Sample(pair.id(), List.of(placed.inside(pair.first()), placed.inside(pair.second())), r.get("prompt").asText(),
                    List.of(first, second), List.of(), CharDiff.masks(first, second), r.get("type").asText(), "vtc-annotation", null));
            byType.put(r.get("type").asText(), byType.path(r.get("type").asText()).asInt() + 1);
        }
        SampleWriter.write(out, samples);
        Path review = reviewFile(out);
        AtomicFiles.write(review, review(pairs, outcomes, samples, review).getBytes(StandardCharsets.UTF_8));
        summary.put("input", pairsFile.toString());
        summary.put("output", out.toString());
        summary.put("review", review.toString());
        Path summaryFile = DataPaths.summaryBeside(out);
        AtomicFiles.write(summaryFile, Json.PRETTY.writeValueAsBytes(summary));
        EndpointJob.finish(out);
        return new Result(outcomes.size(), summary.get("written").asLong(), summary.get("failed").asLong(), summaryFile, review);
    }

    private static ObjectNode annotate(Settings settings, Map<String, List<ObjectNode>> exemplars, Pair pair, UsageTally usage)
            throws IOException, StageFailure {
        ChatMessage.Part first = ChatMessage.Part.imageFile(pair.first());
        ChatMessage.Part second = ChatMessage.Part.imageFile(pair.second());
        StringBuilder types = new StringBuilder();
        CONTRAST_TYPES.forEach((name, description) -> types.append("- ").append(name).append(": ").append(description).append('\n'));
        List<ChatMessage> categorizing = List.of(ChatMessage.system(String.format(CATEGORIZE_PROMPT, types.toString().strip())),
                ChatMessage.user(List.of(ChatMessage.Part.text("First image:"), first, ChatMessage.Part.text("Second image:"), second)));
        ArrayNode scores = JsonAnswers.ask(settings.annotator(), categorizing, settings.temperature(), settings.answerAttempts(), "categorize",
                usage, VtcAnnotation::readScores);
        ObjectNode best = null;
        for (JsonNode entry : scores) { // in taxonomy order: a later type wins only with a strictly better score
            if (best == null || better(entry, best)) best = (ObjectNode) entry;
        }
        String type = best.get("type").asText();
        String examples = Json.PRETTY.writeValueAsString(exemplars.get(type));
        List<ChatMessage> writing = List.of(ChatMessage.system(String.format(WRITE_PROMPT, type, CONTRAST_TYPES.get(type), examples)),
                ChatMessage.user(List.of(ChatMessage.Part.text("First image:"), first, ChatMessage.Part.text("Second image:"), second,
                        ChatMessage.Part.text("Why this type: " + best.get("importance_rationale").asText()))));
        ObjectNode texts = JsonAnswers.ask(settings.annotator(), writing, settings.temperature(), settings.answerAttempts(), "write", usage,
                VtcAnnotation::readTexts);
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("type", type);
        result.set("scores", scores);
        result.setAll(texts);
        return result;
    }

    private static boolean better(JsonNode a, JsonNode b) {
        int sumA = a.get("importance").asInt() + a.get("hallucination_likelihood").asInt();
        int sumB = b.get("importance").asInt() + b.get("hallucination_likelihood").asInt();
        return sumA != sumB ? sumA > sumB : a.get("importance").asInt() > b.get("importance").asInt();
    }

    /** The nine scores, in taxonomy order. */
    static ArrayNode readScores(JsonNode answer) {
        JsonNode list = answer.get("scores");
        if (list == null || !list.isArray()) throw new IllegalArgumentException("field \"scores\" must be a list");
        Map<String, ObjectNode> byType = new LinkedHashMap<>();
        for (JsonNode entry : list) {
            if (!entry.isObject()) throw new IllegalArgumentException("every entry of \"scores\" must be an object");
            String type = JsonAnswers.oneOf(entry, "type", List.copyOf(CONTRAST_TYPES.keySet()));
            if (byType.containsKey(type)) throw new IllegalArgumentException("type \"" + type + "\" is scored twice");
            ObjectNode score = Json.MAPPER.createObjectNode();
            score.put("type", type);
            score.put("importance", JsonAnswers.integer(entry, "importance", 1, 10));
            score.put("importance_rationale", JsonAnswers.text(entry, "importance_rationale"));
            score.put("hallucination_likelihood", JsonAnswers.integer(entry, "hallucination_likelihood", 1, 10));
            score.put("hallucination_rationale", JsonAnswers.text(entry, "hallucination_rationale"));
            byType.put(type, score);
        }
        List<String> missing = CONTRAST_TYPES.keySet().stream().filter(t -> !byType.containsKey(t)).toList();
        if (!missing.isEmpty()) throw new IllegalArgumentException("\"scores\" lacks the types " + missing);
        ArrayNode ordered = Json.MAPPER.createArrayNode();
        CONTRAST_TYPES.keySet().forEach(t -> ordered.add(byType.get(t)));
        return ordered;
    }

    /** The prompt and the two responses; they must differ, and in at most half of each response's text. */
    static ObjectNode readTexts(JsonNode answer) {
        ObjectNode texts = Json.MAPPER.createObjectNode();
        String prompt = MvcTextAugmentation.noPlaceholder(JsonAnswers.text(answer, "prompt"), "prompt");
        String first = MvcTextAugmentation.noPlaceholder(JsonAnswers.text(answer, "response_1"), "response_1");
        String second = MvcTextAugmentation.noPlaceholder(JsonAnswers.text(answer, "response_2"), "response_2");
        if (first.equals(second)) throw new IllegalArgumentException("response_1 and response_2 are equal; they must differ where the images differ");
        List<List<Span>> masks = CharDiff.masks(first, second);
        if (masked(masks.get(0)) * 2 > first.length() || masked(masks.get(1)) * 2 > second.length()) {
            throw new IllegalArgumentException("response_1 and response_2 differ in more than half their text; they must share their wording "
                    + "and differ only where the images differ");
        }
        texts.put("prompt", prompt);
        texts.put("response_1", first);
        texts.put("response_2", second);
        return texts;
    }

    private static int masked(List<Span> spans) {
        return spans.stream().mapToInt(s -> s.end() - s.start()).sum();
    }

    /** The exemplars resource: type → its examples; every type must have one. */
    static Map<String, List<ObjectNode>> exemplars() {
        try (InputStream in = VtcAnnotation.class.getResourceAsStream("vtc-exemplars.json")) {
            if (in == null) throw new IllegalStateException("the resource vtc-exemplars.json is missing from the jar");
            JsonNode root = Json.STRICT.readTree(in);
            Map<String, List<ObjectNode>> byType = new LinkedHashMap<>();
            for (String type : CONTRAST_TYPES.keySet()) {
                List<ObjectNode> list = new ArrayList<>();
                for (JsonNode e : root.path(type)) list.add((ObjectNode) e);
                if (list.isEmpty()) throw new IllegalStateException("vtc-exemplars.json has no exemplar for \"" + type + "\"");
                byType.put(type, list);
            }
            return byType;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Markdown review: per pair the images, the scores and rationales, the chosen type, the texts with the differing words in bold. */
    private static String review(List<Pair> pairs, List<EndpointJob.Outcome> outcomes, List<Sample> samples, Path review) {
        StringBuilder md = new StringBuilder("# VTC annotation review\n\nTick each pair whose type and texts are right; "
                + "remove the others from the JSONL before training.\n\n");
        Path folder = review.getParent();
        int s = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            EndpointJob.Outcome o = outcomes.get(i);
            Pair pair = pairs.get(i);
            if (!o.ok()) continue;
            Sample sample = samples.get(s++);
            JsonNode r = o.result();
            md.append("## ").append(pair.id()).append(": ").append(r.get("type").asText()).append("\n\n");
            md.append("- [ ] verified\n\n");
            md.append("| first | second |\n|---|---|\n| ![").append(pair.firstId()).append("](").append(link(folder, sample.images().get(0)))
                    .append(") | ![").append(pair.secondId()).append("](").append(link(folder, sample.images().get(1))).append(") |\n\n");
            md.append("| type | importance | hallucination likelihood | rationales |\n|---|---:|---:|---|\n");
            for (JsonNode score : r.get("scores")) {
                md.append("| ").append(score.get("type").asText()).append(" | ").append(score.get("importance").asInt()).append(" | ")
                        .append(score.get("hallucination_likelihood").asInt()).append(" | ")
                        .append(cell(score.get("importance_rationale").asText() + " / " + score.get("hallucination_rationale").asText())).append(" |\n");
            }
            md.append("\n**Prompt:** ").append(r.get("prompt").asText()).append("\n\n");
            md.append("1. ").append(bold(sample.responses().get(0), sample.masks().get(0))).append('\n');
            md.append("2. ").append(bold(sample.responses().get(1), sample.masks().get(1))).append("\n\n");
        }
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            md.append("## Not annotated\n\n| pair | images | stage | reason |\n|---|---|---|---|\n");
            for (int i = 0; i < outcomes.size(); i++) {
                EndpointJob.Outcome o = outcomes.get(i);
                if (o.ok()) continue;
                md.append("| ").append(o.id()).append(" | ").append(pairs.get(i).firstId()).append(", ").append(pairs.get(i).secondId())
                        .append(" | ").append(o.stage()).append(" | ").append(cell(o.reason())).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String link(Path folder, Path image) {
        return folder.relativize(image).toString().replace('\\', '/').replace(" ", "%20");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String bold(String text, List<Span> spans) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Span span : spans) {
            out.append(text, at, span.start()).append("**").append(text, span.start(), span.end()).append("**");
            at = span.end();
        }
        return out.append(text.substring(at)).toString();
    }
}
