package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.Span;
import org.vco4j.testing.Cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.data.imports.ImportFixtures.*;

/**
 * {@code vco data import} on small files in each published layout, written here with real PNG and JPEG images:
 * the roles each record plays, the images placed beside the output, the summary, and one-line errors
 * ({@link ImportedDataTrainsTest} trains on the results).
 */
class DatasetImportTest {
    @TempDir
    Path dir;

    @Test
    void mvcTuplesAreImportedWithLinkedImages() throws IOException {
        Path images = dir.resolve("coco");
        png(images.resolve("a.png"), Color.RED);
        png(images.resolve("b.png"), Color.BLUE);
        png(images.resolve("c.png"), Color.GREEN);
        ArrayNode list = Json.MAPPER.createArrayNode();
        list.add(mvc("", "a.png", "b.png", "What colour is the ball?", "The ball is red.", "The ball is blue."));
        list.add(mvc("You are a helpful assistant.", "c.png", "b.png", "Describe the image.", "A green ball.", "A blue ball."));
        Path in = write(dir.resolve("mvc.json"), list);
        Path out = dir.resolve("out/train.jsonl");

        JsonNode summary = importOk("s-vco", in, images, out);
        List<Sample> samples = SampleReader.read(out);
        assertEquals(2, samples.size());
        Sample first = samples.get(0);
        assertEquals("s-vco-0", first.id());
        assertEquals(List.of(out.resolveSibling("train-images/a.png"), out.resolveSibling("train-images/b.png")), first.images());
        assertEquals("What colour is the ball?", first.prompt());
        assertEquals(List.of("The ball is red.", "The ball is blue."), first.responses());
        assertTrue(first.rejected().isEmpty());
        assertEquals(3, summary.get("images").get("hard_linked").asInt() + summary.get("images").get("copied").asInt());
        if (summary.get("images").get("hard_linked").asInt() == 3) {
            assertEquals(2, Files.getAttribute(out.resolveSibling("train-images/a.png"), "unix:nlink"));
        }
        assertEquals(1, summary.get("not_carried_over").get(MvcRecords.SYSTEM_PROMPT_NOTE).asInt());

    }

    @Test
    void sevaPairsDropEqualAnswers() throws IOException {
        jpeg(dir.resolve("images/0a1b.jpg"), Color.RED);
        jpeg(dir.resolve("images/0a1c.jpg"), Color.BLUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        list.addObject().put("chosen", "A red ball.").put("reject", "A red apple.").put("question", "What is shown?").put("image_id", "0a1b");
        list.addObject().put("chosen", "Blue.").put("reject", "Blue.").put("question", "Which colour?").put("image_id", "0a1c");
        list.addObject().put("chosen", "A blue square.").put("reject", "A red circle.").put("question", "What is shown?").put("image_id", "0a1c");
        Path out = dir.resolve("out/seva.jsonl");

        JsonNode summary = importOk("seva", write(dir.resolve("seva.json"), list), dir.resolve("images"), out);
        List<Sample> samples = SampleReader.read(out);
        assertEquals(List.of("seva-0", "seva-2"), samples.stream().map(Sample::id).toList());
        assertEquals("A red ball.", samples.get(0).responses().get(0));
        assertEquals(List.of("A red apple."), samples.get(0).rejected());
        assertEquals(out.resolveSibling("seva-images/0a1b.jpg"), samples.get(0).image());
        assertEquals(3, summary.get("records_read").asInt());
        assertEquals(1, summary.get("dropped_by_reason").get("equal answers (no preference)").asInt());

    }

    @Test
    void icVcoSpansBecomeTokenMasksAndTheSyntheticContrastIsAnOption() throws IOException {
        png(dir.resolve("img/m.png"), Color.RED);
        png(dir.resolve("img/edited.png"), Color.BLUE);
        png(dir.resolve("img/synthetic.png"), Color.GREEN);
        ObjectNode row = Json.MAPPER.createObjectNode().put("prompt", "What colour is the ball?")
                .put("chosen", "The ball is red.").put("rejected", "The ball is blue.");
        row.putArray("images").add("img/m.png").addObject().put("path", "img/edited.png");
        row.putArray("chosen_response_spans").addArray().add(12).add(15);
        row.putArray("rejected_response_spans").addArray().add(12).add(16);
        row.put("synthetic_image", "img/synthetic.png").put("synthetic_response", "The ball is green.");
        ObjectNode plain = row.deepCopy();
        plain.remove(List.of("chosen_response_spans", "rejected_response_spans", "synthetic_image", "synthetic_response"));
        Path in = writeLines(dir.resolve("icvco.jsonl"), row, plain);

        importOk("ic-vco", in, null, dir.resolve("edited.jsonl"));
        List<Sample> edited = SampleReader.read(dir.resolve("edited.jsonl"));
        assertEquals(List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16))), edited.get(0).masks());
        assertEquals("red", edited.get(0).responses().get(0).substring(12, 15));
        assertEquals(List.of(), edited.get(1).masks());

        JsonNode summary = importOk("ic-vco-synthetic", in, null, dir.resolve("synthetic.jsonl"));
        List<Sample> synthetic = SampleReader.read(dir.resolve("synthetic.jsonl"));
        assertEquals(1, synthetic.size());
        assertEquals(List.of("The ball is red.", "The ball is green."), synthetic.get(0).responses());
        assertEquals(dir.resolve("img/synthetic.png"), synthetic.get(0).images().get(1), "images inside the output folder stay in place");
        assertEquals(2, summary.get("images").get("in_place").asInt());
        assertEquals(1, summary.get("dropped_by_reason").get("no synthetic_image / synthetic_response").asInt());
    }

    @Test
    void aLargeFileShowsProgressAndPlacesEachImageOnce() throws IOException {
        jpeg(dir.resolve("images/42.jpg"), Color.RED);
        ArrayNode list = Json.MAPPER.createArrayNode();
        String question = "What does the sign say? ".repeat(10);
        long records = DatasetImport.PROGRESS_FROM_BYTES / question.length() + 1;
        for (int i = 0; i < records; i++) {
            list.addObject().put("chosen", "Stop " + i).put("reject", "Go " + i).put("question", question).put("image_id", 42);
        }
        Path in = write(dir.resolve("large.json"), list);
        Cli.Run run = Cli.vco("data", "import", "--format", "seva", "--in", in.toString(), "--images", dir.resolve("images").toString(),
                "--out", dir.resolve("out/large.jsonl").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("import seva [########################]"), run.err());
        JsonNode summary = Json.MAPPER.readTree(dir.resolve("out/large.summary.json").toFile());
        assertEquals(records, summary.get("written").asLong());
        assertEquals(1, summary.get("images").get("hard_linked").asInt() + summary.get("images").get("copied").asInt());
    }

    @Test
    void mdpoQuestionsAreCutFromTheVicunaPrompt() throws IOException {
        png(dir.resolve("images/llava-reasoning-1.png"), Color.RED);
        ArrayNode list = Json.MAPPER.createArrayNode();
        list.addObject().put("img_path", "images/llava-reasoning-1.png")
                .put("prompt", "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful,"
                        + " detailed, and polite answers to the user's questions. USER: <image>\nWhat is in the picture? ASSISTANT:")
                .put("chosen", "A red square.").put("rejected", "A cat.");
        importOk("mdpo", write(dir.resolve("mdpo.json"), list), null, dir.resolve("mdpo.jsonl"));
        Sample sample = SampleReader.read(dir.resolve("mdpo.jsonl")).get(0);
        assertEquals("What is in the picture?", sample.prompt());
        assertEquals(List.of("A cat."), sample.rejected());
    }

    @Test
    void rlaifVEmbeddedImagesAreWrittenAsFilesInBothForms() throws IOException {
        String red = Base64.getEncoder().encodeToString(pngBytes(Color.RED));
        ObjectNode raw = Json.MAPPER.createObjectNode();
        raw.putObject("image").put("bytes", red).putNull("path");
        raw.put("question", "Describe the image.").put("chosen", "A red square.").put("rejected", "A green circle.")
                .put("ds_name", "RLAIF-V").put("idx", 7);
        ObjectNode trl = Json.MAPPER.createObjectNode();
        trl.putArray("images").addObject().put("bytes", red);
        ObjectNode user = trl.putArray("prompt").addObject().put("role", "user");
        user.putArray("content").add(Json.MAPPER.createObjectNode().put("type", "image"))
                .add(Json.MAPPER.createObjectNode().put("type", "text").put("text", "What colour is it?"));
        trl.set("chosen", assistant("Red."));
        trl.set("rejected", assistant("Green."));
        Path out = dir.resolve("rlaif.jsonl");

        JsonNode summary = importOk("rlaif-v", writeLines(dir.resolve("rlaif-v.jsonl"), raw, trl), null, out);
        List<Sample> samples = SampleReader.read(out);
        assertEquals("Describe the image.", samples.get(0).prompt());
        assertEquals("What colour is it?", samples.get(1).prompt());
        assertEquals(List.of("Green."), samples.get(1).rejected());
        assertEquals(samples.get(0).image(), samples.get(1).image(), "one file per distinct image");
        assertTrue(samples.get(0).image().startsWith(out.resolveSibling("rlaif-images/embedded")));
        assertEquals(1, summary.get("images").get("written_from_bytes").asInt());
    }

    @Test
    void llavaRlhfTakesThePreferredOutputAndDropsMultiTurnRecords() throws IOException {
        png(dir.resolve("coco/000000001.jpg.png"), Color.RED);
        ObjectNode single = llavaRlhf("000000001.jpg.png", 2, "<image>\nWhat is on the table?");
        ObjectNode multi = llavaRlhf("000000001.jpg.png", 1, "<image>\nWhat is on the table?");
        ((ArrayNode) multi.get("conversations")).addObject().put("from", "gpt").put("value", "A cup.");
        ((ArrayNode) multi.get("conversations")).addObject().put("from", "human").put("value", "What colour is it?");
        ArrayNode list = Json.MAPPER.createArrayNode().add(single).add(multi);

        JsonNode summary = importOk("llava-rlhf", write(dir.resolve("pref.json"), list), dir.resolve("coco"), dir.resolve("rlhf.jsonl"));
        Sample sample = SampleReader.read(dir.resolve("rlhf.jsonl")).get(0);
        assertEquals("<image>\nWhat is on the table?", sample.prompt());
        assertEquals("Answer two.", sample.responses().get(0));
        assertEquals(List.of("Answer one."), sample.rejected());
        assertEquals(1, summary.get("dropped").asInt());
    }

    @Test
    void aDeclaredColumnMappingReadsANewLayout() throws IOException {
        png(dir.resolve("a.png"), Color.RED);
        png(dir.resolve("b.png"), Color.BLUE);
        ObjectNode row = Json.MAPPER.createObjectNode().put("left", "a.png").put("right", "b.png").put("kind", "attribute");
        row.putObject("qa").put("question", "What colour?").putArray("answers").add("Red.").add("Blue.");
        Cli.Run run = Cli.vco("data", "import", "--format", "columns", "--in", writeLines(dir.resolve("new.jsonl"), row).toString(),
                "--out", dir.resolve("out.jsonl").toString(), "--map",
                "image=left,contrast_image=right,prompt=qa.question,chosen=qa.answers.0,contrast_response=qa.answers.1,contrast=kind");
        assertEquals(0, run.exitCode(), run.err());
        Sample sample = SampleReader.read(dir.resolve("out.jsonl")).get(0);
        assertEquals(List.of("Red.", "Blue."), sample.responses());
        assertEquals("attribute", sample.contrast());
        assertEquals(2, sample.images().size());
    }

    @Test
    void aMalformedRecordInEachFormatIsRefusedInOneLineWithNothingWritten() throws IOException {
        png(dir.resolve("a.png"), Color.RED);
        png(dir.resolve("b.png"), Color.BLUE);
        jpeg(dir.resolve("7.jpg"), Color.RED);
        ObjectNode mvc = mvc("", "a.png", "b.png", "Q?", "Red.", "Blue.");
        ObjectNode badMvc = mvc.deepCopy();
        ((ArrayNode) badMvc.get("rejected_images")).add("a.png");
        check("s-vco", write(dir.resolve("mvc.json"), Json.MAPPER.createArrayNode().add(mvc).add(badMvc)), "record 1", "rejected_images");

        ObjectNode icvco = Json.MAPPER.createObjectNode().put("prompt", "Q?").put("chosen", "Red.").put("rejected", "Blue.");
        icvco.putArray("images").add("a.png").add("b.png");
        icvco.putArray("chosen_response_spans").addArray().add(0).add(40);
        icvco.putArray("rejected_response_spans").addArray().add(0).add(3);
        check("ic-vco", writeLines(dir.resolve("icvco.jsonl"), icvco), "line 1", "chosen_response_spans[0]");

        ArrayNode seva = Json.MAPPER.createArrayNode();
        seva.addObject().put("chosen", "A.").put("reject", "B.").put("question", "Q?").put("image_id", "7");
        seva.addObject().put("chosen", "A.").put("reject", "B.").put("question", "Q?").put("image_id", "8");
        check("seva", write(dir.resolve("seva.json"), seva), "record 1", "image_id");

        ArrayNode mdpo = Json.MAPPER.createArrayNode();
        mdpo.addObject().put("img_path", "a.png").put("prompt", "What is this?").put("chosen", "A.").put("rejected", "B.");
        check("mdpo", write(dir.resolve("mdpo.json"), mdpo), "record 0", "prompt");

        ObjectNode rlaif = Json.MAPPER.createObjectNode().put("image", "a.png").put("question", "Q?").put("chosen", "A.");
        rlaif.put("rejected", 3);
        check("rlaif-v", writeLines(dir.resolve("rlaif.jsonl"), rlaif), "line 1", "rejected");

        ObjectNode rlhf = llavaRlhf("a.png", 3, "Q?");
        check("llava-rlhf", write(dir.resolve("rlhf.json"), Json.MAPPER.createArrayNode().add(rlhf)), "record 0", "preference");

        ObjectNode column = Json.MAPPER.createObjectNode().put("img", "a.png").put("q", "Q?").put("a", "A.");
        check("columns", writeLines(dir.resolve("cols.jsonl"), column), "line 1", "b", "--map", "image=img,prompt=q,chosen=a,rejected=b");
    }

    /** Runs the import expecting exit 2, one line naming the file, the record and the field, and nothing new in the folder. */
    private void check(String format, Path in, String record, String field, String... extra) throws IOException {
        List<Path> before = listing();
        List<String> args = new ArrayList<>(List.of("data", "import", "--format", format, "--in", in.toString(),
                "--out", dir.resolve("out-" + format + ".jsonl").toString()));
        args.addAll(List.of(extra));
        Cli.Run run = Cli.vco(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), format + ": " + run.err() + run.out());
        List<String> lines = run.err().lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), run.err());
        String line = lines.get(0);
        assertTrue(line.contains(in.getFileName().toString() + ": " + record + ":") && line.contains("\"" + field + "\""), line);
        assertEquals(before, listing(), format + ": left something behind");
    }

    private List<Path> listing() throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.sorted().toList();
        }
    }
}
