package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.PngFile;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.imports.RecordFile;
import org.vco4j.data.imports.SourceRecord;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;
import org.vco4j.endpoint.ImageEditClient;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * {@code vco data edit}: IC-VCO's contrastive sample editing (Section 4, Appendix B) over three OpenAI-compatible
 * endpoints. For each seed {@code (m, x, y, y')}:
 * <ol>
 *   <li><b>planner</b> (a VLM on chat completions, shown {@code m}): picks one minimal edit of an object, attribute,
 *       count or position — realising a hallucinated detail of {@code y'} (scenario A) or contradicting a detail of
 *       {@code y} (scenario B) — as an executable instruction, and rewrites {@code y} minimally into {@code y'_new};</li>
 *   <li><b>editor</b> (the images edit API): applies the instruction to {@code m} through {@link FitAndPad};</li>
 *   <li><b>verifier</b> (a VLM shown {@code m} and {@code m'}): checks that the edit happened and nothing else
 *       changed, and that {@code y'_new} describes {@code m'}, correcting small mismatches.</li>
 * </ol>
 * A kept seed becomes the tuple {@code (m, m', x, y, y'_new)} with token masks from {@link CharDiff}, the shape
 * {@code vco train --objective ic-vco} reads. Runs through {@link EndpointJob}: resumable, counted by stage.
 */
public final class ContrastiveEditing {
    /** The edit types the planner may choose (S-VCO's and the synthetic world's four). */
    static final List<String> EDIT_TYPES = List.of("object", "attribute", "count", "position");
    static final List<String> SCENARIOS = List.of("realization", "injection");

    static final String PLANNER_PROMPT = """
            You plan one minimal image edit that turns a faithful answer into a wrong one. You see an image m, a \
            question x, the answer y that is true of m, and possibly a rejected answer y' that contains hallucinations.
            Scenario "realization": if y' states a concrete detail that is false of m, choose one such detail and \
            write an edit that makes it true in the edited image.
            Scenario "injection": otherwise, choose one detail that y states and write an edit that minimally \
            contradicts it (remove or change it).
            The edit must change exactly one of: an object (replace, add or remove one object), an attribute (colour, \
            material, size or state of one object), a count (how many of one kind of object), or a position (where \
            one object is, or a left-right relation). It must not change the style, the lighting, the background, \
            the framing or any other object.
            Then rewrite y into edited_response, an answer true of the edited image, changing only the words that \
            the edit makes false and keeping the sentence structure, reasoning and style of y.
            Answer with only this JSON object:
            {"scenario": "realization" or "injection", "edit_type": "object", "attribute", "count" or "position", \
            "target": "the detail you change", "instruction": "the executable editing instruction", \
            "edited_response": "y rewritten for the edited image"}""";

    static final String VERIFIER_PROMPT = """
            You check an image edit. You see the original image first and the edited image second, the editing \
            instruction, and an answer that should be true of the edited image.
            edit_applied: did the edited image carry out the instruction?
            unintended_changes: did anything else change (other objects, background, style, structure, distortions)?
            response_correct: is the answer true of the edited image?
            corrected_response: if the answer has a small mismatch with the edited image, the answer with the fewest \
            words changed to make it true; otherwise an empty string.
            Answer with only this JSON object:
            {"edit_applied": true or false, "unintended_changes": true or false, "response_correct": true or false, \
            "corrected_response": "...", "rationale": "one or two sentences"}""";

    /**
     * How the endpoints are used.
     *
     * @param editorSize     the editor's square canvas (IC-VCO: 1024)
     * @param answerAttempts tries for a valid JSON answer from the planner or verifier
     * @param temperature    of the planner and verifier
     * @param concurrency    seeds in flight at most
     */
    public record Settings(ChatClient planner, ImageEditClient editor, ChatClient verifier, int editorSize, int answerAttempts,
                           double temperature, int concurrency) {
        public Settings {
            if (editorSize < 16) throw new IllegalArgumentException("--editor-size must be >= 16, got " + editorSize);
            if (answerAttempts < 1) throw new IllegalArgumentException("--answer-attempts must be >= 1, got " + answerAttempts);
        }
    }

    /** What a run did; the summary file holds the rest. */
    public record Result(int records, long written, long failed, Path summary) {}

    private record Seed(String id, Path image, String prompt, String chosen, String rejected) {}

    private ContrastiveEditing() {}

    public static Result run(Settings settings, Path in, Path images, Path out) throws IOException {
        return run(settings, in, images, out, index -> {});
    }

    /** Edits every seed of {@code in} into {@code out}; {@code afterRecord} hears each kept record (tests stop a run there). */
    public static Result run(Settings settings, Path in, Path images, Path out, IntConsumer afterRecord) throws IOException {
        AtomicFiles.checkTarget(out);
        Path imagesFolder = images != null ? images.toAbsolutePath().normalize() : in.toAbsolutePath().normalize().getParent();
        if (!Files.isDirectory(imagesFolder)) throw new IllegalArgumentException("option --images: " + imagesFolder + " is not a folder");
        List<Seed> seeds = readSeeds(in, imagesFolder);
        Path editedFolder = DataImages.folderBeside(out).resolve("edited");
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.set("input", EndpointPipelines.describe(in));
        manifest.put("images", imagesFolder.toString());
        manifest.set("planner", EndpointPipelines.describe(settings.planner().settings()));
        manifest.set("editor", EndpointPipelines.describe(settings.editor().settings()));
        manifest.set("verifier", EndpointPipelines.describe(settings.verifier().settings()));
        manifest.put("editor_size", settings.editorSize());
        manifest.put("answer_attempts", settings.answerAttempts());
        manifest.put("temperature", settings.temperature());
        List<String> ids = seeds.stream().map(Seed::id).toList();
        List<EndpointJob.Outcome> outcomes = EndpointJob.run("edit", seeds, ids, out, manifest, settings.concurrency(),
                (seed, usage) -> edit(settings, seed, editedFolder, usage), afterRecord);
        DataImages originals = new DataImages(out, DataImages.folderBeside(out).resolve("original"));
        List<Sample> samples = new ArrayList<>();
        for (EndpointJob.Outcome outcome : outcomes) {
            if (!outcome.ok()) continue;
            JsonNode r = outcome.result();
            String chosen = r.get("chosen").asText();
            String edited = r.get("edited_response").asText();
            samples.add(new Sample(outcome.id(), List.of(originals.inside(Path.of(r.get("image").asText())), Path.of(r.get("edited_image").asText())),
                    r.get("prompt").asText(), List.of(chosen, edited), List.of(), CharDiff.masks(chosen, edited),
                    r.get("edit_type").asText(), "ic-vco-edit", null));
        }
        SampleWriter.write(out, samples);
        ObjectNode summary = EndpointJob.summary(outcomes);
        summary.put("input", in.toString());
        summary.put("output", out.toString());
        summary.put("editor_size", settings.editorSize());
        ObjectNode byType = summary.putObject("written_by_edit_type");
        for (Sample s : samples) byType.put(s.contrast(), byType.path(s.contrast()).asInt() + 1);
        Path summaryFile = DataPaths.summaryBeside(out);
        AtomicFiles.write(summaryFile, Json.PRETTY.writeValueAsBytes(summary));
        EndpointJob.finish(out);
        return new Result(outcomes.size(), summary.get("written").asLong(), summary.get("failed").asLong(), summaryFile);
    }

    private static ObjectNode edit(Settings settings, Seed seed, Path editedFolder, UsageTally usage) throws IOException, StageFailure {
        ChatMessage.Part original = ChatMessage.Part.imageFile(seed.image());
        String seedText = "Question x: " + seed.prompt() + "\nAnswer y (true of the image): " + seed.chosen()
                + "\nRejected answer y': " + (seed.rejected() == null ? "(none)" : seed.rejected());
        List<ChatMessage> planning = List.of(ChatMessage.system(PLANNER_PROMPT),
                ChatMessage.user(List.of(original, ChatMessage.Part.text(seedText))));
        ObjectNode plan = JsonAnswers.ask(settings.planner(), planning, settings.temperature(), settings.answerAttempts(), "planner", usage,
                answer -> {
                    ObjectNode p = Json.MAPPER.createObjectNode();
                    p.put("scenario", JsonAnswers.oneOf(answer, "scenario", SCENARIOS));
                    p.put("edit_type", JsonAnswers.oneOf(answer, "edit_type", EDIT_TYPES));
                    p.put("target", JsonAnswers.text(answer, "target"));
                    p.put("instruction", JsonAnswers.text(answer, "instruction"));
                    p.put("edited_response", checkedResponse(JsonAnswers.text(answer, "edited_response"), seed.chosen(), "edited_response"));
                    return p;
                });

        RgbImage image;
        try {
            image = ImageLoader.load(seed.image());
        } catch (ImageLoadException e) {
            throw new IllegalArgumentException(seed.image() + ": " + e.getMessage());
        }
        FitAndPad geometry = FitAndPad.of(image, settings.editorSize());
        ImageEditClient.Edit edit = settings.editor().edit(png(geometry.fit(image)), plan.get("instruction").asText(), settings.editorSize());
        usage.add("editor", edit.usage(), false);
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(edit.image()));
        } catch (IOException e) {
            decoded = null;
        }
        if (decoded == null) throw new StageFailure("editor", "the editor's output is not a readable image");
        RgbImage restored;
        try {
            restored = geometry.restore(RgbImage.of(decoded));
        } catch (IllegalArgumentException e) {
            throw new StageFailure("editor", e.getMessage());
        }
        Path editedFile = editedFolder.resolve(EndpointPipelines.fileName(seed.id()) + ".png");
        byte[] editedPng = png(restored);

        List<ChatMessage> verifying = List.of(ChatMessage.system(VERIFIER_PROMPT), ChatMessage.user(List.of(
                ChatMessage.Part.text("Original image:"), original,
                ChatMessage.Part.text("Edited image:"), ChatMessage.Part.imageUrl(ChatMessage.Part.dataUrl(editedPng, editedFile.toString())),
                ChatMessage.Part.text("Instruction: " + plan.get("instruction").asText() + "\nAnswer for the edited image: "
                        + plan.get("edited_response").asText()))));
        ObjectNode verdict = JsonAnswers.ask(settings.verifier(), verifying, settings.temperature(), settings.answerAttempts(), "verifier",
                usage, answer -> {
                    ObjectNode v = Json.MAPPER.createObjectNode();
                    v.put("edit_applied", JsonAnswers.bool(answer, "edit_applied"));
                    v.put("unintended_changes", JsonAnswers.bool(answer, "unintended_changes"));
                    v.put("response_correct", JsonAnswers.bool(answer, "response_correct"));
                    JsonNode corrected = answer.get("corrected_response");
                    if (corrected != null && !corrected.isNull() && !corrected.isTextual()) {
                        throw new IllegalArgumentException("field \"corrected_response\" must be a string, got " + Json.kind(corrected));
                    }
                    String correction = corrected == null || corrected.isNull() ? "" : corrected.asText().strip();
                    if (!correction.isEmpty()) correction = checkedResponse(correction, seed.chosen(), "corrected_response");
                    v.put("corrected_response", correction);
                    v.put("rationale", JsonAnswers.text(answer, "rationale"));
                    return v;
                });
        if (!verdict.get("edit_applied").asBoolean()) throw new StageFailure("verifier", "edit not applied: " + verdict.get("rationale").asText());
        if (verdict.get("unintended_changes").asBoolean()) {
            throw new StageFailure("verifier", "unintended changes: " + verdict.get("rationale").asText());
        }
        String editedResponse = plan.get("edited_response").asText();
        if (!verdict.get("corrected_response").asText().isEmpty()) {
            editedResponse = verdict.get("corrected_response").asText();
        } else if (!verdict.get("response_correct").asBoolean()) {
            throw new StageFailure("verifier", "the edited answer does not describe the edited image, and no correction was given");
        }
        Files.createDirectories(editedFolder);
        AtomicFiles.write(editedFile, editedPng);

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("image", seed.image().toString());
        result.put("edited_image", editedFile.toString());
        result.put("prompt", seed.prompt());
        result.put("chosen", seed.chosen());
        result.setAll(plan);
        result.put("edited_response", editedResponse);
        result.set("verifier", verdict);
        return result;
    }

    /** A rewritten answer that differs from {@code y} in words a mask can select. */
    private static String checkedResponse(String response, String chosen, String field) {
        if (response.equals(chosen.strip())) throw new IllegalArgumentException("field \"" + field + "\" equals the original answer y");
        if (response.contains("<image>")) throw new IllegalArgumentException("field \"" + field + "\" contains <image>");
        return response;
    }

    private static byte[] png(RgbImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image.toBufferedImage(), "png", bytes)) throw new IOException("no PNG writer in this Java runtime");
        return bytes.toByteArray();
    }

    /**
     * Seeds: JSONL (or a JSON list) of {@code {"id"?, "image", "prompt", "chosen", "rejected"?}}, the image relative to
     * {@code imagesFolder}; vco4j's pair shape ({@code "images": [m]}) is read too.
     */
    private static List<Seed> readSeeds(Path in, Path imagesFolder) throws IOException {
        List<Seed> seeds = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        RecordFile.read(in, (record, bytesRead) -> {
            String id = record.has("id") ? record.text("id") : "edit-" + record.ordinal();
            if (!ids.add(id)) throw record.error("id", "'" + id + "' appears twice");
            Path image = EndpointPipelines.image(record, imageField(record), imagesFolder);
            String prompt = record.text("prompt");
            String chosen = record.text("chosen");
            String rejected = record.optionalText("rejected");
            try {
                new Sample(id, List.of(image), prompt, List.of(chosen), rejected == null || rejected.equals(chosen) ? List.of() : List.of(rejected),
                        List.of(), null, null, null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(record.location() + ": " + e.getMessage());
            }
            seeds.add(new Seed(id, image, prompt, chosen, rejected));
        });
        if (seeds.isEmpty()) throw new IllegalArgumentException(in + ": no seeds");
        return seeds;
    }

    private static String imageField(SourceRecord record) {
        if (record.has("image")) return record.text("image");
        List<JsonNode> images = record.list("images");
        if (images.size() != 1) throw record.error("images", "a seed has one image, got " + images.size());
        return record.text(images.get(0), "images");
    }
}
