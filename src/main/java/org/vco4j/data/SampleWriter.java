package org.vco4j.data;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes samples as JSONL in the format {@link SampleReader} reads, atomically. Image paths are written
 * relative to the file's folder (with {@code /} separators), so every image must lie inside that folder.
 * A sample with one image, one response, rejected answers and no masks is written as a preference pair
 * ({@code chosen}/{@code rejected}); every other sample as a contrastive tuple ({@code responses}).
 */
public final class SampleWriter {
    private static final ObjectMapper JSON = Json.MAPPER;

    private SampleWriter() {}

    /** Replaces {@code file} with one line per sample. */
    public static void write(Path file, List<Sample> samples) throws IOException {
        Path folder = file.toAbsolutePath().normalize().getParent();
        StringBuilder text = new StringBuilder();
        for (Sample sample : samples) text.append(JSON.writeValueAsString(toJson(sample, folder))).append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.writeStream(file, out -> out.write(bytes));
    }

    /** One line's object, with image paths relative to {@code folder}. */
    static ObjectNode toJson(Sample sample, Path folder) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", sample.id());
        ArrayNode images = node.putArray("images");
        for (Path image : sample.images()) images.add(relative(folder, image, sample.id()));
        node.put("prompt", sample.prompt());
        boolean pair = sample.images().size() == 1 && sample.responses().size() == 1
                && !sample.rejected().isEmpty() && sample.masks().isEmpty();
        if (pair) {
            node.put("chosen", sample.responses().get(0));
            if (sample.rejected().size() == 1) {
                node.put("rejected", sample.rejected().get(0));
            } else {
                sample.rejected().forEach(node.putArray("rejected")::add);
            }
        } else {
            sample.responses().forEach(node.putArray("responses")::add);
            if (!sample.rejected().isEmpty()) sample.rejected().forEach(node.putArray("rejected")::add);
        }
        if (!sample.masks().isEmpty()) {
            ArrayNode masks = node.putArray("masks");
            for (int i = 0; i < sample.masks().size(); i++) {
                ArrayNode spans = masks.addArray();
                String text = sample.responses().get(i);
                for (Span span : sample.masks().get(i)) {
                    Span points = span.toCodePoints(text);
                    spans.addArray().add(points.start()).add(points.end());
                }
            }
        }
        if (sample.contrast() != null) node.put("contrast", sample.contrast());
        if (sample.source() != null) node.put("source", sample.source());
        if (sample.augmentation() != null) node.put("augmentation", sample.augmentation());
        return node;
    }

    private static String relative(Path folder, Path image, String id) {
        if (!image.startsWith(folder)) {
            throw new IllegalArgumentException("sample '" + id + "': image " + image + " lies outside the data folder "
                    + folder + "; data files may only name images inside their folder");
        }
        StringBuilder path = new StringBuilder();
        for (Path part : folder.relativize(image)) {
            if (path.length() > 0) path.append('/');
            path.append(part);
        }
        return path.toString();
    }
}
