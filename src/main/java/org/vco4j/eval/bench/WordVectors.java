package org.vco4j.eval.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Word vectors for AMBER's synonym test, read from a word2vec/GloVe text file ({@code word v1 v2 ...} per line, an
 * optional {@code count dimension} header), keeping only the words asked for. Two words are similar when the cosine
 * of their vectors exceeds the threshold — what spaCy's {@code Doc.similarity} computes for two one-token texts;
 * a word without a vector is similar to nothing, as in spaCy. Exported from {@code en_core_web_lg}
 * ({@code nlp.vocab.vectors}), they make AMBER's generative scores the reference's.
 */
final class WordVectors {
    private final Map<String, float[]> vectors;
    private final double threshold;

    private WordVectors(Map<String, float[]> vectors, double threshold) {
        this.vectors = vectors;
        this.threshold = threshold;
    }

    /** No vectors: a word is similar only to itself, the approximation used when spaCy's vectors are not given. */
    static WordVectors none() {
        return new WordVectors(Map.of(), Double.NaN);
    }

    static WordVectors read(Path file, Set<String> words, double threshold) throws IOException {
        BenchmarkFiles.requireFile(file);
        Map<String, float[]> vectors = new HashMap<>();
        int dimension = -1;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String[] parts = line.strip().split(" ");
                if (number == 1 && parts.length == 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")) continue;
                if (parts.length < 2) throw new IllegalArgumentException(file + ":" + number + ": expected a word and its vector");
                if (dimension < 0) dimension = parts.length - 1;
                if (parts.length - 1 != dimension) {
                    throw new IllegalArgumentException(file + ":" + number + ": " + (parts.length - 1) + " numbers, the first vector has " + dimension);
                }
                if (!words.contains(parts[0])) continue;
                float[] vector = new float[dimension];
                try {
                    for (int i = 0; i < dimension; i++) vector[i] = Float.parseFloat(parts[i + 1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": not a number: " + e.getMessage());
                }
                vectors.put(parts[0], vector);
            }
        }
        return new WordVectors(vectors, threshold);
    }

    boolean isNone() {
        return Double.isNaN(threshold);
    }

    boolean similar(String a, String b) {
        if (isNone()) return a.equals(b);
        float[] x = vectors.get(a);
        float[] y = vectors.get(b);
        if (x == null || y == null) return false;
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += (double) x[i] * y[i];
            nx += (double) x[i] * x[i];
            ny += (double) y[i] * y[i];
        }
        if (nx == 0 || ny == 0) return false;
        return dot / Math.sqrt(nx * ny) > threshold;
    }
}
