package org.vco4j.eval.bench;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ground truth CHAIR compares captions with, from the COCO 2014 annotation files as downloaded
 * ({@code instances_val2014.json}, {@code captions_val2014.json}, and the {@code train2014} pair when present, as
 * the reference combines both): per image, the objects of its instance annotations and the objects its five
 * reference captions name. Only the images asked about are kept; the files (hundreds of MB) are streamed, record
 * by record.
 */
final class CocoAnnotations {
    static final List<String> SPLITS = List.of("val2014", "train2014");

    /** An image of the annotations: its id and file name. */
    record Image(long id, String fileName) {}

    private CocoAnnotations() {}

    /** The ground-truth objects of the images whose file names are given, by image id (images sorted by id). */
    record GroundTruth(Map<Long, Image> images, Map<Long, Set<String>> objects) {}

    static GroundTruth read(Path folder, Set<String> fileNames, CocoObjectWords words) throws IOException {
        return read(folder, "--data", image -> fileNames.contains(image.fileName()), words);
    }

    /**
     * The ground-truth objects of the images {@code wanted} accepts (by id and file name), by image id.
     *
     * @param option the option that named {@code folder}, for messages
     */
    static GroundTruth read(Path folder, String option, java.util.function.Predicate<Image> wanted, CocoObjectWords words) throws IOException {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException(option + " " + folder + ": no such folder (COCO annotations)");
        for (String kind : List.of("instances", "captions")) {
            Path file = folder.resolve(kind + "_val2014.json");
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file (COCO 2014 " + kind + " annotations)");
        }
        Map<Long, Image> images = new TreeMap<>();
        Map<Long, Set<String>> objects = new HashMap<>();
        for (String split : SPLITS) {
            Path captions = folder.resolve("captions_" + split + ".json");
            if (Files.isRegularFile(captions)) readCaptions(captions, wanted, words, images, objects);
        }
        for (String split : SPLITS) {
            Path instances = folder.resolve("instances_" + split + ".json");
            if (Files.isRegularFile(instances)) readInstances(instances, words, images, objects);
        }
        return new GroundTruth(images, objects);
    }

    private static void readCaptions(Path file, java.util.function.Predicate<Image> wanted, CocoObjectWords words, Map<Long, Image> images,
                                     Map<Long, Set<String>> objects) throws IOException {
        stream(file, (section, index, record, where) -> {
            if (section.equals("images")) {
                Image image = new Image(integer(record, "id", where), BenchmarkFiles.text(record, "file_name", where));
                if (wanted.test(image)) images.put(image.id(), image);
            } else if (section.equals("annotations")) {
                long image = integer(record, "image_id", where);
                if (images.containsKey(image)) {
                    objects.computeIfAbsent(image, k -> new HashSet<>()).addAll(words.objectsNamed(List.of(BenchmarkFiles.text(record, "caption", where))));
                }
            }
        });
    }

    private static void readInstances(Path file, CocoObjectWords words, Map<Long, Image> images, Map<Long, Set<String>> objects) throws IOException {
        List<long[]> found = new ArrayList<>();
        Map<Long, String> categories = new HashMap<>();
        stream(file, (section, index, record, where) -> {
            if (section.equals("annotations")) {
                long image = integer(record, "image_id", where);
                if (images.containsKey(image)) found.add(new long[] {image, integer(record, "category_id", where)});
            } else if (section.equals("categories")) {
                categories.put(integer(record, "id", where), BenchmarkFiles.text(record, "name", where));
            }
        });
        for (long[] annotation : found) {
            String name = categories.get(annotation[1]);
            if (name == null) throw new IllegalArgumentException(file + ": an annotation of image " + annotation[0] + " has category_id "
                    + annotation[1] + ", which 'categories' lacks");
            String object = words.object(name);
            if (object == null) throw new IllegalArgumentException(file + ": category '" + name + "' is no COCO object of the synonym list");
            objects.computeIfAbsent(annotation[0], k -> new HashSet<>()).add(object);
        }
    }

    /** Receives each record of a top-level array ({@code images}, {@code annotations}, {@code categories}). */
    private interface RecordVisitor {
        void visit(String section, int index, JsonNode record, String where);
    }

    private static void stream(Path file, RecordVisitor visitor) throws IOException {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException(file + ": expected a JSON object");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String section = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value != JsonToken.START_ARRAY || !Set.of("images", "annotations", "categories").contains(section)) {
                    parser.skipChildren();
                    continue;
                }
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    JsonNode record = parser.readValueAsTree();
                    String where = file + ": " + section + "[" + index + "]";
                    visitor.visit(section, index++, BenchmarkFiles.object(record, where), where);
                }
            }
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
    }

    private static long integer(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) throw new IllegalArgumentException(where + ": field '" + field + "' is missing");
        if (!value.isIntegralNumber()) throw new IllegalArgumentException(where + ": field '" + field + "' must be an integer, got " + value);
        return value.asLong();
    }
}
