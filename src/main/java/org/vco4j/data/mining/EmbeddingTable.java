package org.vco4j.data.mining;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The embeddings file of {@code vco embed} in memory, checked and with every row scaled to unit length, so a dot
 * product is a cosine: row {@code i} belongs to {@code ids.get(i)} (the image paths, sorted).
 *
 * @param file      where it was read from, for messages
 * @param ids       the image ids in row order
 * @param dimension the width of a row
 * @param rows      the unit rows, row-major [ids, dimension]
 */
public record EmbeddingTable(Path file, List<String> ids, int dimension, float[] rows) {
    /**
     * Reads an embeddings file through {@link EmbeddingJob#read}, which streams the rows into one array that becomes
     * this table's (scaled in place, never copied), and checks it: the {@value EmbeddingJob#EMBEDDINGS} tensor is
     * [ids, dim] with one row per distinct id, every row finite and non-zero.
     *
     * @throws IllegalArgumentException one line naming the file and what is wrong
     */
    public static EmbeddingTable read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file + ": no such embeddings file");
        EmbeddingJob.Embeddings embeddings;
        try {
            embeddings = EmbeddingJob.read(file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": metadata \"" + EmbeddingJob.IDS + "\" is not a JSON array of strings");
        }
        List<String> ids = embeddings.ids();
        int distinct = new HashSet<>(ids).size();
        int dimension = embeddings.dimension();
        long rowCount = dimension == 0 ? 0 : embeddings.rows().length / dimension;
        if (distinct != ids.size() || rowCount != ids.size()) {
            throw new IllegalArgumentException(file + ": tensor \"" + EmbeddingJob.EMBEDDINGS + "\" has shape [" + rowCount + ", "
                    + dimension + "] but metadata \"" + EmbeddingJob.IDS + "\" names " + distinct + " distinct images"
                    + (distinct != ids.size() ? " among " + ids.size() + " ids" : "") + "; expected one row per distinct image");
        }
        if (dimension < 1 || ids.isEmpty()) throw new IllegalArgumentException(file + ": tensor \"" + EmbeddingJob.EMBEDDINGS + "\" is empty");
        return unitRows(file, ids, dimension, embeddings.rows());
    }

    /**
     * The table of {@code rows} [ids, dimension], each scaled to unit length in place.
     *
     * @throws IllegalArgumentException naming {@code file} and the id of a zero or non-finite row
     */
    public static EmbeddingTable unitRows(Path file, List<String> ids, int dimension, float[] rows) {
        if ((long) ids.size() * dimension != rows.length) {
            throw new IllegalArgumentException(file + ": " + rows.length + " values are not " + ids.size() + " rows of " + dimension);
        }
        for (int i = 0; i < ids.size(); i++) {
            double squares = 0;
            for (int k = i * dimension; k < (i + 1) * dimension; k++) squares += (double) rows[k] * rows[k];
            if (!(squares > 0) || !Double.isFinite(squares)) {
                throw new IllegalArgumentException(file + ": row of image '" + ids.get(i) + "' is "
                        + (squares == 0 ? "zero" : "not finite") + "; it has no direction to compare");
            }
            double scale = 1 / Math.sqrt(squares);
            for (int k = i * dimension; k < (i + 1) * dimension; k++) rows[k] = (float) (rows[k] * scale);
        }
        return new EmbeddingTable(file, List.copyOf(ids), dimension, rows);
    }

    /** The number of rows. */
    public int size() {
        return ids.size();
    }

    /** The cosine of rows {@code i} and {@code j}. */
    public double cosine(int i, int j) {
        double dot = 0;
        for (int k = 0; k < dimension; k++) dot += (double) rows[i * dimension + k] * rows[j * dimension + k];
        return dot;
    }

    /** Row number by id. */
    public Map<String, Integer> rowsById() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) index.put(ids.get(i), i);
        return index;
    }

    /** The rows as a float32 CPU tensor [ids, dimension] (a copy, owned by the caller's scope). */
    public Tensor matrix() {
        return Tensors.floats(rows, ids.size(), dimension);
    }

    /**
     * Fails unless both tables describe the same images in the same order, as two {@code vco embed} runs over one
     * image folder do.
     *
     * @throws IllegalArgumentException naming both files and the first difference
     */
    public static void checkSameIds(EmbeddingTable a, EmbeddingTable b) {
        if (a.ids.equals(b.ids)) return;
        int i = 0;
        while (i < Math.min(a.size(), b.size()) && a.ids.get(i).equals(b.ids.get(i))) i++;
        String first = i < Math.min(a.size(), b.size()) ? "row " + i + " is '" + a.ids.get(i) + "' in one and '" + b.ids.get(i) + "' in the other"
                : "one ends after " + i + " rows";
        throw new IllegalArgumentException(a.file + " and " + b.file + " describe different images (" + a.size() + " vs "
                + b.size() + " ids; " + first + "); embed the same images with both encoders");
    }
}
