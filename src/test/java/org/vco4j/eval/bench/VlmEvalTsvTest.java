package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** VLMEvalKit's TSV (base64 images, index references, circular copies), its prompt and exact matching. */
class VlmEvalTsvTest {
    private static final Map<String, String> CHOICES = new LinkedHashMap<>(Map.of("A", "dog", "B", "cat", "C", "bird"));

    @Test
    void exactMatchingIsVlmEvalKitsCanInfer() {
        assertEquals("B", ChoiceInference.infer("B", CHOICES));
        assertEquals("B", ChoiceInference.infer("(B) cat", CHOICES));
        assertEquals("C", ChoiceInference.infer("The answer is C.", CHOICES));
        assertNull(ChoiceInference.infer("A or B", CHOICES), "two letters: no choice");
        assertEquals("B", ChoiceInference.infer("It is a cat", new LinkedHashMap<>(Map.of("A", "dog", "B", "cat"))), "no letter: the option text");
        assertEquals("A", ChoiceInference.infer("A cat", CHOICES), "'A' as an article is read as option A, as VLMEvalKit does");
        assertEquals("Z", ChoiceInference.infer("Cannot determine the answer", CHOICES));
        assertNull(ChoiceInference.infer("", CHOICES));
    }

    @Test
    void readsTheTsvAndScoresWithCircularCopies(@TempDir Path dir) throws Exception {
        Path tsv = write(dir);
        VlmEvalTsv bench = VlmEvalTsv.read(tsv, dir.resolve("out"), null, 0);
        assertEquals("Hint: Look closely.\nQuestion: What animal is it?\nOptions:\nA. dog\nB. cat\nC. bird\n"
                + "Please select the correct answer from the options above. \n", bench.items().get(0).prompt());
        assertTrue(bench.items().get(1).prompt().startsWith("Question: How many animals?\n"), "no hint line for an empty hint");
        assertEquals(bench.items().get(0).image().getFileName().toString(), "0.png");
        assertArrayEquals(Files.readAllBytes(bench.items().get(0).image()), Files.readAllBytes(bench.items().get(2).image()),
                "row 1000000 refers to row 0's image");
        // row 0 right, row 1 undecidable (two letters), its circular copy of row 0 right by option text
        Map<String, Double> m = bench.score(Map.of("0", "B", "1", "A or B", "1000000", "a dog"), dir.resolve("out"));
        assertEquals(2.0 / 3, m.get("vlmeval/accuracy"), 1e-12);
        assertEquals(0.5, m.get("vlmeval/circular_accuracy"), 1e-12);
        assertEquals(1.0, m.get("vlmeval/category/animal/accuracy"));
        assertEquals(0.0, m.get("vlmeval/category/count/accuracy"));
    }

    @Test
    void badRowsNameFileRowAndField(@TempDir Path dir) throws Exception {
        Path tsv = write(dir);
        Files.writeString(tsv, Files.readString(tsv).replace("\tB\tcount\t", "\tE\tcount\t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VlmEvalTsv.read(tsv, dir.resolve("out"), null, 0));
        assertEquals(tsv + ": row 2: field 'answer' is 'E', not one of the options [A, B, C]", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")), "no image decoded for a bad file");
    }

    /** Rows 0 and 1 with their own images, row 1000000 a circular copy of row 0 (options shifted) naming row 0's image. */
    static Path write(Path dir) throws Exception {
        String red = png(0xff0000);
        String blue = png(0x0000ff);
        String tsv = "index\tquestion\thint\tA\tB\tC\tanswer\tcategory\timage\n"
                + "0\tWhat animal is it?\tLook closely.\tdog\tcat\tbird\tB\tanimal\t" + red + "\n"
                + "1\tHow many animals?\t\t1\t2\t3\tB\tcount\t" + blue + "\n"
                + "1000000\tWhat animal is it?\tLook closely.\tdog\tbird\tcat\tA\tanimal\t0\n";
        return BenchmarkFixtures.write(dir.resolve("MMBench_DEV_EN.tsv"), tsv);
    }

    private static String png(int rgb) throws Exception {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 2, rgb);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
