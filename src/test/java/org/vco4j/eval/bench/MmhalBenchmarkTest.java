package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** MMHal-Bench's reader, the judge prompt and the reference's rating parse and metrics, against hand-computed values. */
class MmhalBenchmarkTest {

    private static ChatClient judge(Path dir) {
        return ChatClient.open(new EndpointSettings(URI.create("http://127.0.0.1:9/v1"), "gpt-4-0314", "VCO4J_TEST_UNSET_KEY", 1, 1,
                Duration.ofMillis(1), Duration.ofSeconds(1), dir.resolve("cache")));
    }

    @Test
    void theRatingIsTheSingleRatingNElseZero() {
        assertEquals(4, MmhalBenchmark.rating("The response is accurate but brief.\nRating: 4, somewhat informative, no hallucination"));
        assertEquals(6, MmhalBenchmark.rating("RATING: 6"), "lower-cased first");
        assertEquals(0, MmhalBenchmark.rating("Rating: 2 ... on reflection, Rating: 5"), "two ratings count as none");
        assertEquals(0, MmhalBenchmark.rating("Rating:3"), "the space is part of the pattern");
        assertEquals(0, MmhalBenchmark.rating("I cannot rate this."));
        assertEquals(1, MmhalBenchmark.rating("rating: 1 star"));
    }

    @Test
    void readsTheTemplateAndScoresAsTheReference(@TempDir Path dir) throws Exception {
        MmhalBenchmark mmhal = MmhalBenchmark.read(BenchmarkFixtures.mmhal(dir), dir.resolve("images"), null, 0, judge(dir));
        List<BenchmarkItem> items = mmhal.items();
        assertEquals(3, items.size());
        assertEquals("How many cats can you see in this image?", items.get(1).prompt(), "the question alone, as the reference asks it");
        assertEquals("8327384624_0ed4e2ca8f_o.jpg", items.get(1).image().getFileName().toString());

        String prompt = MmhalBenchmark.judgePrompt(Json.MAPPER.readTree(Files.readString(dir.resolve("response_template.json"))).get(1), "One cat.");
        assertTrue(prompt.startsWith("Please act as an impartial and objective judge"), prompt);
        assertTrue(prompt.endsWith("### Image Contents\nLynx, Cat\n\n### Question\nHow many cats can you see in this image?\n\n"
                + "### Standard Human-Generated Answer\nThere are two cats.\n\n### LMM Response to Evaluate\nOne cat.\n"), prompt);

        // scores 5, 0 (two ratings), 2 → average 7/3; below 3: two of three
        Map<String, Double> m = mmhal.metrics(List.of("Fine. Rating: 5", "Rating: 1 or Rating: 6", "rating: 2, very informative, with hallucination"));
        assertEquals(7.0 / 3, m.get("mmhal/average_score"), 1e-12);
        assertEquals(2.0 / 3, m.get("mmhal/hallucination_rate"), 1e-12);
        assertEquals(1.0, m.get("mmhal/unparsed"));
        assertEquals(3.5, m.get("mmhal/attribute/average_score"), 1e-12);
        assertEquals(0.5, m.get("mmhal/attribute/hallucination_rate"), 1e-12);
        assertEquals(0.0, m.get("mmhal/counting/average_score"));
        assertEquals(1.0, m.get("mmhal/counting/hallucination_rate"));
    }

    @Test
    void badRecordsNameFileRecordAndField(@TempDir Path dir) throws Exception {
        Path file = BenchmarkFixtures.mmhal(dir);
        String good = Files.readString(file);
        Files.writeString(file, good.replaceFirst("\"question_type\": \"counting\", ", ""));
        assertMessage(dir, file + ": record 1: field 'question_type' is missing");
        Files.writeString(file, good.replace("\"image_content\": [\"Bus\"]", "\"image_content\": \"Bus\""));
        assertMessage(dir, file + ": record 2: field 'image_content' must be a list of strings");
        Files.writeString(file, good);
        Files.delete(dir.resolve("images/5214b2f3a0c2d1e4_o.jpg"));
        assertMessage(dir, file + ": record 2: field 'image_src': no image");
    }

    private static void assertMessage(Path dir, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MmhalBenchmark.read(dir.resolve("response_template.json"), dir.resolve("images"), null, 0, judge(dir)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
