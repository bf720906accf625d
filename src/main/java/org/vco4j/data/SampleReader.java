package org.vco4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.model.image.ImageLoadException;
import org.vco4j.model.image.ImageLoader;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Reads a JSONL file of {@link Sample samples} (format: {@code docs/data-format.md}) and checks that samples
 * carry what an objective reads. Every line is checked before any sample is returned, image files must
 * exist, and every error is an {@link IllegalArgumentException} naming the file, the line and the field.
 */
public final class SampleReader {
    /** The keys a line may hold, in the order the format lists them. */
    public static final List<String> FIELDS = List.of(
            "id", "images", "prompt", "responses", "chosen", "rejected", "masks", "contrast", "source", "augmentation");
    /** Up to this many distinct images are decoded when the file is read; more are checked by their headers. */
    static final int FULL_CHECK_LIMIT = 20_000;
    /** From this many images on, the check shows progress. */
    static final int PROGRESS_FROM = 2_000;
    /** Errors listed in one exception; a file with a systematic mistake would otherwise print thousands. */
    private static final int MAX_REPORTED_ERRORS = 10;

    private static final ObjectReader JSON = Json.STRICT;

    private SampleReader() {}

    /** All samples of {@code file}, in file order; blank lines are skipped. */
    public static List<Sample> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        List<Sample> samples = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int lineNumber = 0;
            boolean more = true;
            while (more) {
                more = readLine(in, bytes);
                if (!more && bytes.size() == 0) break;
                lineNumber++;
                String where = file + ":" + lineNumber;
                try {
                    String line = decode(utf8, bytes, where);
                    // A byte-order mark is legal UTF-8 but not JSON; editors on Windows write one.
                    if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                    if (line.isBlank()) continue;
                    Sample sample = parse(file, line, where);
                    Integer first = lineOfId.putIfAbsent(sample.id(), lineNumber);
                    if (first != null) {
                        throw new IllegalArgumentException(where + ": field \"id\": duplicate id '" + sample.id()
                                + "' (first on line " + first + ")");
                    }
                    samples.add(sample);
                } catch (IllegalArgumentException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(summary(errors));
        if (samples.isEmpty()) throw new IllegalArgumentException(file + ": no samples (the file is empty)");
        checkImages(file, samples, lineOfId);
        return samples;
    }

    /**
     * Every image the samples name, each checked once and in parallel before anything expensive starts: decoded
     * in full up to {@value #FULL_CHECK_LIMIT} distinct images, beyond that by their headers only (format and
     * size), with progress from {@value #PROGRESS_FROM} images on. Errors name the line and field of the image's
     * first use.
     */
    private static void checkImages(Path file, List<Sample> samples, Map<String, Integer> lineOfId) {
        Map<Path, String> firstUse = new LinkedHashMap<>();
        for (Sample sample : samples) {
            for (int k = 0; k < sample.images().size(); k++) {
                firstUse.putIfAbsent(sample.images().get(k), file + ":" + lineOfId.get(sample.id()) + ": field \"images\"[" + k + "]");
            }
        }
        List<Path> images = new ArrayList<>(firstUse.keySet());
        boolean full = images.size() <= FULL_CHECK_LIMIT;
        ProgressBar progress = images.size() >= PROGRESS_FROM
                ? new ProgressBar(full ? "checking images" : "checking image headers", images.size(), "images") : null;
        String[] problems = new String[images.size()];
        IntStream.range(0, images.size()).parallel().forEach(i -> {
            try {
                if (full) ImageLoader.read(images.get(i));
                else ImageLoader.checkHeader(images.get(i));
            } catch (ImageLoadException e) {
                problems[i] = firstUse.get(images.get(i)) + ": " + e.getMessage();
            }
            if (progress != null) {
                synchronized (progress) {
                    progress.advance(1);
                }
            }
        });
        if (progress != null) progress.finish();
        List<String> errors = Arrays.stream(problems).filter(Objects::nonNull).toList();
        if (!errors.isEmpty()) throw new IllegalArgumentException(summary(errors));
    }

    private static String column(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
    }

    private static Sample parse(Path file, String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (MismatchedInputException e) {
            // FAIL_ON_TRAILING_TOKENS reports a second value this way; its own text names Jackson's settings.
            throw new IllegalArgumentException(where + ": malformed JSON: more than one value on the line" + column(e));
        } catch (JsonProcessingException e) {
            // Jackson's limits (nesting depth, number and string length) report no location.
            throw new IllegalArgumentException(where + ": malformed JSON: " + e.getOriginalMessage() + column(e));
        }
        if (!node.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object, got " + Json.kind(node));
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + name + "\" (known: "
                        + String.join(", ", FIELDS) + ")");
            }
        }
        String id = requiredText(node, "id", where);
        List<Path> images = images(file, node, where);
        String prompt = requiredText(node, "prompt", where);

        boolean tuple = present(node, "responses");
        boolean pair = present(node, "chosen");
        if (tuple && pair) {
            throw new IllegalArgumentException(where + ": field \"chosen\": a line is a contrastive tuple (\"responses\")"
                    + " or a preference pair (\"chosen\", \"rejected\"), not both");
        }
        if (!tuple && !pair) {
            throw new IllegalArgumentException(where + ": missing field \"responses\" (a contrastive tuple) or"
                    + " \"chosen\" with \"rejected\" (a preference pair)");
        }
        List<String> responses = tuple ? textList(node, "responses", where) : List.of(requiredText(node, "chosen", where));
        if (pair && responses.get(0).isBlank()) {
            throw new IllegalArgumentException(where + ": field \"chosen\": must not be empty");
        }
        List<String> rejected = present(node, "rejected") ? textOrTextList(node, "rejected", where) : List.of();
        if (pair && rejected.isEmpty()) {
            throw new IllegalArgumentException(where + ": missing field \"rejected\" (a preference pair needs it)");
        }
        if (pair && images.size() != 1) {
            throw new IllegalArgumentException(where + ": field \"images\": a preference pair has one image, got "
                    + images.size() + "; two images make a contrastive tuple with \"responses\"");
        }
        List<List<Span>> masks = List.of();
        if (present(node, "masks")) {
            if (pair) {
                throw new IllegalArgumentException(where + ": field \"masks\": token masks cover the \"responses\" of a"
                        + " contrastive tuple; a preference pair has none");
            }
            masks = masks(node.get("masks"), responses, where);
        }
        String contrast = optionalText(node, "contrast", where);
        String source = optionalText(node, "source", where);
        String augmentation = optionalText(node, "augmentation", where);
        try {
            return new Sample(id, images, prompt, responses, rejected, masks, contrast, source, augmentation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> images(Path file, JsonNode node, String where) {
        if (!present(node, "images")) throw new IllegalArgumentException(where + ": missing field \"images\"");
        JsonNode list = node.get("images");
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ": field \"images\": must be a list of paths, got " + Json.kind(list));
        }
        List<Path> images = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String field = where + ": field \"images\"[" + k + "]";
            JsonNode entry = list.get(k);
            if (!entry.isTextual()) throw new IllegalArgumentException(field + ": must be a string, got " + Json.kind(entry));
            Path image = DataPaths.resolveImage(file, entry.asText(), field);
            if (!Files.exists(image)) {
                throw new IllegalArgumentException(field + ": image file '" + entry.asText() + "' does not exist (" + image + ")");
            }
            if (!Files.isRegularFile(image)) {
                throw new IllegalArgumentException(field + ": '" + entry.asText() + "' is not a file (" + image + ")");
            }
            images.add(image);
        }
        return images;
    }

    /** Per response, its spans given in code points, as string indices. */
    private static List<List<Span>> masks(JsonNode masks, List<String> responses, String where) {
        String field = where + ": field \"masks\"";
        if (!masks.isArray()) throw new IllegalArgumentException(field + ": must be a list of span lists, got " + Json.kind(masks));
        if (masks.size() != responses.size()) {
            throw new IllegalArgumentException(field + ": " + masks.size() + " span lists for " + responses.size()
                    + " responses; give one per response");
        }
        List<List<Span>> out = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            JsonNode spans = masks.get(i);
            String text = responses.get(i);
            int length = text.codePointCount(0, text.length());
            if (!spans.isArray()) {
                throw new IllegalArgumentException(field + "[" + i + "]: must be a list of [start, end] pairs, got " + Json.kind(spans));
            }
            List<Span> list = new ArrayList<>();
            for (int k = 0; k < spans.size(); k++) {
                JsonNode span = spans.get(k);
                String spanField = field + "[" + i + "][" + k + "]";
                if (!span.isArray() || span.size() != 2 || !isInt(span.get(0)) || !isInt(span.get(1))) {
                    throw new IllegalArgumentException(spanField + ": must be a [start, end] pair of integers, got " + span);
                }
                int start = span.get(0).intValue();
                int end = span.get(1).intValue();
                if (start < 0 || end > length) {
                    throw new IllegalArgumentException(spanField + ": " + span + " lies outside response " + i
                            + " (" + length + " characters)");
                }
                if (end <= start) throw new IllegalArgumentException(spanField + ": " + span + " is an empty span (start >= end)");
                list.add(Span.fromCodePoints(text, start, end));
            }
            out.add(list);
        }
        return out;
    }

    private static boolean isInt(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToInt();
    }

    private static boolean present(JsonNode node, String field) {
        // An explicit null is read as an absent field, as Python writers emit None for unset optionals.
        return node.has(field) && !node.get(field).isNull();
    }

    private static String requiredText(JsonNode node, String field, String where) {
        if (!present(node, field)) throw new IllegalArgumentException(where + ": missing field \"" + field + "\"");
        return optionalText(node, field, where);
    }

    private static String optionalText(JsonNode node, String field, String where) {
        if (!present(node, field)) return null;
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\": must be a string, got " + Json.kind(value));
        }
        return value.asText();
    }

    private static List<String> textList(JsonNode node, String field, String where) {
        JsonNode list = node.get(field);
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\": must be a list of strings, got " + Json.kind(list));
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            if (!list.get(k).isTextual()) {
                throw new IllegalArgumentException(where + ": field \"" + field + "\"[" + k + "]: must be a string, got "
                        + Json.kind(list.get(k)));
            }
            out.add(list.get(k).asText());
        }
        return out;
    }

    /** SeVa's multi-negative data lists its rejected answers; a single one may be a plain string. */
    private static List<String> textOrTextList(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value.isTextual()) return List.of(value.asText());
        if (!value.isArray()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\": must be a string or a list of strings, got "
                    + Json.kind(value));
        }
        List<String> out = textList(node, field, where);
        if (out.isEmpty()) throw new IllegalArgumentException(where + ": field \"" + field + "\": must not be an empty list");
        return out;
    }


    /** Reads up to the next '\n' (dropped, with a preceding '\r') into {@code line}; false at end of input. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return true;
            line.write(b);
        }
        return false;
    }

    private static String decode(CharsetDecoder utf8, ByteArrayOutputStream bytes, String where) {
        byte[] raw = bytes.toByteArray();
        int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
        try {
            return utf8.decode(ByteBuffer.wrap(raw, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(where + ": not valid UTF-8 text");
        }
    }

    private static String summary(List<String> errors) {
        StringBuilder message = new StringBuilder(errors.get(0));
        for (int i = 1; i < Math.min(errors.size(), MAX_REPORTED_ERRORS); i++) message.append('\n').append(errors.get(i));
        if (errors.size() > MAX_REPORTED_ERRORS) {
            message.append("\n(and ").append(errors.size() - MAX_REPORTED_ERRORS).append(" more errors)");
        }
        return message.toString();
    }
}
