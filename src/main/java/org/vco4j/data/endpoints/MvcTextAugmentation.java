package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vco data augment-text}: MVC's two-step language augmentation (S-VCO, Section 4.2 and Appendix C) over an
 * OpenAI-compatible LLM. Visual counterfactual sources come with short captions; for each contrastive tuple
 * {@code (m, m', y, y')}:
 * <ol>
 *   <li><b>generating queries</b>: the LLM writes a conversational question to which the two captions would be
 *       natural answers about their images, keeping the contrast explicit;</li>
 *   <li><b>rewriting and diversifying</b>: the LLM revises that question and rephrases both captions into natural
 *       answers to it, keeping the contrastive details.</li>
 * </ol>
 * S-VCO sampled both steps at a raised temperature for diverse wording. The paper's exact templates did not survive in
 * our copy of it; the two prompts below follow its description of each step. The images and the contrast type are
 * kept; masks are not (the words changed), as MVC has none. Runs through {@link EndpointJob}.
 */
public final class MvcTextAugmentation {
    static final String QUERY_PROMPT = """
            You write questions for pairs of images. The two images differ in one visual detail; caption 1 describes \
            image 1 and caption 2 describes image 2. Write one natural, conversational question that a person might \
            ask about either image, such that each caption would be a natural answer to it for its own image. The \
            question must target the detail in which the captions differ, so that the contrast between the two \
            answers stays explicit; it must not reveal either answer.
            Answer with only this JSON object: {"question": "..."}""";

    static final String REWRITE_PROMPT = """
            You polish an instruction-response conversation about two images that differ in one visual detail. You \
            get a question and two captions, caption 1 true of image 1 and caption 2 true of image 2. Revise the \
            question so that it reads naturally, and rephrase each caption into a fluent answer to the revised \
            question. Keep every contrastive detail (what differs between the captions) in both answers and state it \
            clearly; add no detail that the caption does not state; keep the two answers parallel, so that they \
            differ only in the contrastive details.
            Answer with only this JSON object: {"question": "...", "response_1": "...", "response_2": "..."}""";

    /** @param answerAttempts tries for a valid JSON answer per step */
    public record Settings(ChatClient llm, int answerAttempts, double temperature, int concurrency) {
        public Settings {
            if (answerAttempts < 1) throw new IllegalArgumentException("--answer-attempts must be >= 1, got " + answerAttempts);
        }
    }

    public record Result(int records, long written, long failed, Path summary) {}

    private MvcTextAugmentation() {}

    public static Result run(Settings settings, Path data, Path out) throws IOException {
        return run(settings, data, out, index -> {});
    }

    public static Result run(Settings settings, Path data, Path out, java.util.function.IntConsumer afterRecord) throws IOException {
        AtomicFiles.checkTarget(out);
        List<Sample> tuples = SampleReader.read(data);
        for (Sample s : tuples) {
            if (!s.isContrastive()) {
                throw new IllegalArgumentException(data + ": sample '" + s.id() + "': needs images [m, m'] and responses [y, y'] (captions of both)");
            }
        }
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.set("input", EndpointPipelines.describe(data));
        manifest.set("llm", EndpointPipelines.describe(settings.llm().settings()));
        manifest.put("answer_attempts", settings.answerAttempts());
        manifest.put("temperature", settings.temperature());
        List<EndpointJob.Outcome> outcomes = EndpointJob.run("augment-text", tuples, tuples.stream().map(Sample::id).toList(), out, manifest,
                settings.concurrency(), (tuple, usage) -> augment(settings, tuple, usage), afterRecord);
        DataImages images = new DataImages(out, DataImages.folderBeside(out));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            EndpointJob.Outcome outcome = outcomes.get(i);
            if (!outcome.ok()) continue;
            Sample tuple = tuples.get(i);
            JsonNode r = outcome.result();
            Sample augmented = new Sample(tuple.id(), tuple.images(), r.get("question").asText(),
                    List.of(r.get("response_1").asText(), r.get("response_2").asText()), List.of(), List.of(), tuple.contrast(),
                    "mvc-augmented", null);
            samples.add(images.relocate(augmented));
        }
        SampleWriter.write(out, samples);
        ObjectNode summary = EndpointJob.summary(outcomes);
        summary.put("input", data.toString());
        summary.put("output", out.toString());
        summary.put("temperature", settings.temperature());
        Path summaryFile = DataPaths.summaryBeside(out);
        AtomicFiles.write(summaryFile, Json.PRETTY.writeValueAsBytes(summary));
        EndpointJob.finish(out);
        return new Result(outcomes.size(), summary.get("written").asLong(), summary.get("failed").asLong(), summaryFile);
    }

    private static ObjectNode augment(Settings settings, Sample tuple, UsageTally usage) throws IOException, StageFailure {
        String captions = "Caption 1: " + tuple.responses().get(0) + "\nCaption 2: " + tuple.responses().get(1)
                + (tuple.contrast() == null ? "" : "\nWhat differs: " + tuple.contrast());
        String question = JsonAnswers.ask(settings.llm(), List.of(ChatMessage.system(QUERY_PROMPT), ChatMessage.user(captions)),
                settings.temperature(), settings.answerAttempts(), "query", usage, answer -> noPlaceholder(JsonAnswers.text(answer, "question"), "question"));
        String draft = "Question: " + question + "\n" + captions;
        return JsonAnswers.ask(settings.llm(), List.of(ChatMessage.system(REWRITE_PROMPT), ChatMessage.user(draft)),
                settings.temperature(), settings.answerAttempts(), "rewrite", usage, answer -> {
                    ObjectNode r = Json.MAPPER.createObjectNode();
                    r.put("question", noPlaceholder(JsonAnswers.text(answer, "question"), "question"));
                    String first = noPlaceholder(JsonAnswers.text(answer, "response_1"), "response_1");
                    String second = noPlaceholder(JsonAnswers.text(answer, "response_2"), "response_2");
                    if (first.equals(second)) throw new IllegalArgumentException("response_1 and response_2 are equal; they must keep the contrast");
                    r.put("response_1", first);
                    r.put("response_2", second);
                    return r;
                });
    }

    static String noPlaceholder(String text, String field) {
        if (text.contains("<image>")) throw new IllegalArgumentException("field \"" + field + "\" contains <image>");
        return text;
    }
}
