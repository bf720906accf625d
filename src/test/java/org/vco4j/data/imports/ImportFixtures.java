package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records in the published layouts and real images, written by the import tests. */
final class ImportFixtures {
    private ImportFixtures() {}

    static ObjectNode mvc(String system, String m, String mPrime, String prompt, String y, String yPrime) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("system_prompt", system).put("instruction_prompt", prompt);
        node.putArray("chosen_images").add(m);
        node.putArray("rejected_images").add(mPrime);
        return node.put("chosen_response", y).put("rejected_response", yPrime);
    }

    static ObjectNode llavaRlhf(String image, int preference, String question) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", "x1").put("image", image);
        node.putArray("conversations").addObject().put("from", "human").put("value", question);
        node.putObject("output_1").put("from", "llava").put("value", "Answer one.");
        node.putObject("output_2").put("from", "llava").put("value", "Answer two.");
        return node.put("preference", preference);
    }

    static ArrayNode assistant(String text) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "assistant").putArray("content").addObject().put("type", "text").put("text", text);
        return messages;
    }

    static JsonNode importOk(String format, Path in, Path images, Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("data", "import", "--format", format, "--in", in.toString(), "--out", out.toString()));
        if (images != null) args.addAll(List.of("--images", images.toString()));
        Cli.Run run = Cli.vco(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return Json.MAPPER.readTree(DatasetImport.summaryFile(out).toFile());
    }

    static Path write(Path file, JsonNode value) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, Json.PRETTY.writeValueAsBytes(value));
        return file;
    }

    static Path writeLines(Path file, JsonNode... lines) throws IOException {
        List<String> text = new ArrayList<>();
        for (JsonNode line : lines) text.add(Json.MAPPER.writeValueAsString(line));
        Files.createDirectories(file.getParent());
        return Files.write(file, text);
    }

    static void png(Path file, Color color) throws IOException {
        Files.createDirectories(file.getParent());
        TinyWorld.writeImage(file, color, color.equals(Color.RED));
    }

    static void jpeg(Path file, Color color) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(4, 4, 16, 12);
        g.dispose();
        assertTrue(ImageIO.write(image, "jpg", file.toFile()));
    }

    static byte[] pngBytes(Color color) throws IOException {
        Path file = Files.createTempFile("vco4j-import", ".png");
        try {
            TinyWorld.writeImage(file, color, false);
            return Files.readAllBytes(file);
        } finally {
            Files.delete(file);
        }
    }
}
