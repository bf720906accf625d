package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** Object HalBench in RLHF-V's question file (image ids, questions, base64 images), scored by CHAIR on COCO annotations. */
class ObjectHalBenchTest {
    private static final String QUESTION = "Provide a thorough description of the given picture.";

    /** RLHF-V's {@code obj_halbench_300_with_image.jsonl} layout, over the COCO fixture's images 42, 7 and 42 again. */
    static Path questions(Path dir, boolean withImages) throws IOException {
        Path annotations = BenchmarkFixtures.coco(dir);
        StringBuilder lines = new StringBuilder();
        for (long id : new long[] {42, 7, 42}) {
            Path image = dir.resolve(String.format("val2014/COCO_val2014_%012d.jpg", id));
            lines.append("{\"image_id\": ").append(id).append(", \"question\": \"").append(QUESTION).append('"');
            if (withImages) lines.append(", \"image\": \"").append(Base64.getEncoder().encodeToString(Files.readAllBytes(image))).append('"');
            lines.append("}\n");
        }
        assertTrue(Files.isDirectory(annotations));
        return Files.writeString(dir.resolve("obj_halbench_300_with_image.jsonl"), lines);
    }

    @Test
    void embeddedImagesAreDecodedAndAnswersScoredAsRlhfVsScript(@TempDir Path dir) throws Exception {
        Path data = questions(dir, true);
        Path out = Files.createDirectories(dir.resolve("out"));
        ObjectHalBench bench = ObjectHalBench.read(data, null, dir.resolve("annotations"), out, null, 0);
        assertEquals(List.of("0", "1", "2"), bench.items().stream().map(BenchmarkItem::id).toList());
        assertEquals(QUESTION, bench.items().get(0).prompt(), "the published prompt, asked as it is");
        assertEquals(out.resolve("objhal_images/42.jpg"), bench.items().get(0).image());
        assertArrayEquals(Files.readAllBytes(dir.resolve("val2014/COCO_val2014_000000000042.jpg")), Files.readAllBytes(bench.items().get(2).image()));

        // 42 truth {person, dog}: all right; 7 truth {toilet}: the sink is hallucinated; the third names no COCO object.
        Map<String, Double> m = bench.score(Map.of("0", "A man with his dogs.", "1", "A toilet and a sink.", "2", "It is a sunny day."), out);
        assertEquals(1.0 / 2, m.get("objhal/chair_s_refine"), 1e-12, "Response Hall: over responses naming a COCO object");
        assertEquals(1.0 / 3, m.get("objhal/chair_s"), 1e-12);
        assertEquals(1.0 / 4, m.get("objhal/chair_i"), 1e-12);
        assertEquals(3.0 / 5, m.get("objhal/recall"), 1e-12);
        assertEquals(5.0, m.get("objhal/avg_length"), 1e-12);
        assertEquals(2.0, m.get("objhal/responses_with_objects"));

        JsonNode result = Json.MAPPER.readTree(out.resolve("hall_obj_halbench_answer_-1.json").toFile());
        JsonNode overall = result.get("overall_metrics");
        assertEquals(0.5, overall.get("CHAIRs_refine").asDouble(), 1e-12);
        assertEquals(0.5, overall.get("correct_rate").asDouble(), 1e-12);
        assertEquals(0.75, overall.get("object_correct_rate").asDouble(), 1e-12);
        assertEquals(3, overall.get("coco_word_count").asInt());
        assertEquals(5, overall.get("gt_word_count").asInt());
        assertEquals("[[\"sink\",\"sink\"]]", result.get("sentences").get(1).get("mscoco_hallucinated_words").toString());
        List<JsonNode> answers = BenchmarkFixtures.jsonLines(out.resolve("obj_halbench_answer.jsonl"));
        assertEquals(7, answers.get(1).get("image_id").asLong());
        assertEquals("A toilet and a sink.", answers.get(1).get("answer").asText());
        assertEquals(QUESTION, answers.get(1).get("question").asText());
    }

    @Test
    void aFileWithoutImagesTakesThemFromTheCocoFolderByTheAnnotationsFileName(@TempDir Path dir) throws Exception {
        Path data = questions(dir, false);
        Path out = dir.resolve("out");
        IllegalArgumentException noImages = assertThrows(IllegalArgumentException.class,
                () -> ObjectHalBench.read(data, null, dir.resolve("annotations"), out, null, 2));
        assertTrue(noImages.getMessage().startsWith("--images:"), noImages.getMessage());
        ObjectHalBench bench = ObjectHalBench.read(data, dir.resolve("val2014"), dir.resolve("annotations"), out, null, 2);
        assertEquals(2, bench.items().size());
        assertEquals(dir.resolve("val2014/COCO_val2014_000000000007.jpg").toAbsolutePath().normalize(), bench.items().get(1).image());
        assertFalse(Files.exists(out), "nothing decoded");

        Files.writeString(data, Files.readString(data).replace("\"image_id\": 7", "\"image_id\": 8"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ObjectHalBench.read(data, dir.resolve("val2014"), dir.resolve("annotations"), out, null, 0));
        assertEquals(data + ":2: field 'image_id': 8 is in none of the COCO 2014 caption files of " + dir.resolve("annotations"),
                unknown.getMessage());
    }

    @Test
    void theCommandAnswersAndScoresAsTheLibraryDoes(@TempDir Path dir) throws Exception {
        Path data = questions(dir, true);
        Path out = dir.resolve("out");
        Run run = vco("eval", "objhal", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--annotations", dir.resolve("annotations").toString(), "--out", out.toString(), "--max-new-tokens", "6");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, String> answers = new LinkedHashMap<>();
        for (JsonNode a : BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"))) answers.put(a.get("id").asText(), a.get("answer").asText());
        Path check = Files.createDirectory(dir.resolve("check"));
        Map<String, Double> expected = ObjectHalBench.read(data, null, dir.resolve("annotations"), check, null, 0).score(answers, check);
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
        expected.forEach((name, value) -> assertEquals(Double.isNaN(value) ? "null" : String.valueOf(value), metrics.get(name).toString(), name));
        assertTrue(Files.exists(out.resolve("hall_obj_halbench_answer_-1.json")));

        Run missing = vco("eval", "objhal", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--annotations", dir.resolve("nowhere").toString(), "--out", dir.resolve("out2").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("error: --annotations " + dir.resolve("nowhere") + ": no such folder (COCO annotations)", missing.err().strip());
    }
}
