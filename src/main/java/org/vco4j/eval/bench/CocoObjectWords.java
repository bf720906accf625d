package org.vco4j.eval.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CHAIR's reading of a caption (Rohrbach et al., 2018; {@code utils/chair.py} of LisaAnne/Hallucination, the
 * {@code caption_to_words} step): lower-case, tokenize, singularize every word ({@link EnglishSingular}), merge
 * COCO's two-word names ("hot dog", "teddy bear"; "baby/adult &lt;animal&gt;" → the animal, "passenger jet/train" →
 * jet/train, "bow tie" → tie, "toilet seat" → toilet), drop "seat" from a caption that has "toilet", and keep the
 * words of the 80 COCO objects' synonym list, each mapped to its object (the line's first word).
 *
 * <p>The synonym list is the reference's {@code data/synonyms.txt}, read as its script reads it (each line split at
 * ", ", so an entry written after a double space, such as " motor bike", never matches — as in the reference).
 * Tokens are {@link WordTokens}, an approximation of NLTK's {@code word_tokenize}.
 */
final class CocoObjectWords {
    private static final String SYNONYMS = "coco_synonyms.txt";
    private static final List<String> DOUBLE_WORDS = List.of("motor bike", "motor cycle", "air plane", "traffic light", "street light",
            "traffic signal", "stop light", "fire hydrant", "stop sign", "parking meter", "suit case", "sports ball", "baseball bat",
            "baseball glove", "tennis racket", "wine glass", "hot dog", "cell phone", "mobile phone", "teddy bear", "hair drier",
            "potted plant", "bow tie", "laptop computer", "stove top oven", "hot dog", "teddy bear", "home plate", "train track");
    private static final List<String> ANIMALS = List.of("bird", "cat", "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra",
            "giraffe", "animal", "cub");
    private static final List<String> VEHICLES = List.of("jet", "train");

    /** One object word of a caption: as written (singularized), its COCO object, and its token position. */
    record ObjectWord(String word, String object, int index) {}

    /** A caption's object words and all its words after merging (the reference's {@code words} output). */
    record Reading(List<ObjectWord> objects, List<String> words) {}

    private final Map<String, String> objectOf = new HashMap<>();
    private final Map<String, String> doubleWords = new HashMap<>();

    /** COCO's 80 objects and their synonyms, the reference's list. */
    CocoObjectWords() {
        this(synonymLines());
    }

    /**
     * Another object vocabulary in the same format: one object per line, its name first, then its synonyms, each
     * separated by ", " (singular forms as {@link EnglishSingular} leaves them: {@code cross, cros}).
     */
    CocoObjectWords(List<String> lines) {
        for (String line : lines) {
            String[] synonyms = line.strip().split(", ", -1);
            for (String synonym : synonyms) objectOf.put(synonym, synonyms[0]);
        }
        for (String word : DOUBLE_WORDS) doubleWords.put(word, word);
        for (String animal : ANIMALS) {
            doubleWords.put("baby " + animal, animal);
            doubleWords.put("adult " + animal, animal);
        }
        for (String vehicle : VEHICLES) doubleWords.put("passenger " + vehicle, vehicle);
        doubleWords.put("bow tie", "tie");
        doubleWords.put("toilet seat", "toilet");
        doubleWords.put("wine glas", "wine glass");
    }

    /** The COCO object a word or category name stands for, or null. */
    String object(String word) {
        return objectOf.get(word);
    }

    Reading read(String caption) {
        List<String> words = new ArrayList<>();
        for (String token : WordTokens.split(caption.toLowerCase(Locale.ROOT))) words.add(EnglishSingular.singularize(token));
        List<String> merged = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < words.size(); ) {
            starts.add(i);
            String pair = i + 1 < words.size() ? words.get(i) + " " + words.get(i + 1) : words.get(i);
            String replacement = doubleWords.get(pair);
            if (replacement != null) {
                merged.add(replacement);
                i += 2;
            } else {
                merged.add(words.get(i));
                i++;
            }
        }
        // "the seat of the toilet" is no chair.
        boolean toilet = merged.contains("toilet") && merged.contains("seat");
        List<ObjectWord> objects = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < merged.size(); i++) {
            String word = merged.get(i);
            if (toilet && word.equals("seat")) continue;
            String object = objectOf.get(word);
            if (object != null) objects.add(new ObjectWord(word, object, starts.get(kept)));
            kept++;
        }
        return new Reading(objects, merged);
    }

    /** The COCO objects a set of ground-truth captions names. */
    Set<String> objectsNamed(Iterable<String> captions) {
        Set<String> objects = new HashSet<>();
        for (String caption : captions) for (ObjectWord w : read(caption).objects()) objects.add(w.object());
        return objects;
    }

    private static List<String> synonymLines() {
        try (InputStream in = CocoObjectWords.class.getResourceAsStream(SYNONYMS)) {
            if (in == null) throw new IllegalStateException("resource " + SYNONYMS + " missing from the jar");
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
