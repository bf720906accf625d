package org.vco4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vco4j.common.Json;
import org.vco4j.request.ScoreRequest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reference log-probabilities computed once and kept on disk, so a training step runs the policy only.
 *
 * <p>Entries are content-addressed: the key hashes the reference model's fingerprint with everything that
 * defines a request (image files with their size and modification time, prompt, response, token mask), so a
 * changed image, prompt or reference model can never be served a stale value. The file is append-only
 * JSON lines; a last line torn by a crash is cut off on the next load, before anything is appended.
 */
public final class ReferenceCache implements AutoCloseable {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** A cached reference value. */
    public record Entry(double logp, long tokens) {}

    private final Path file;
    private final String modelFingerprint;
    private final Map<String, Entry> entries = new HashMap<>();
    private final BufferedWriter writer;
    private int hits;
    private int misses;
    private int tornBytes;

    public ReferenceCache(Path file, String modelFingerprint) throws IOException {
        this.file = file;
        this.modelFingerprint = modelFingerprint;
        if (Files.exists(file)) load();
        Files.createDirectories(file.toAbsolutePath().getParent());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Reads every complete line. A last line without its newline was torn by a kill mid-append: it is cut off
     * (and recomputed), so that new entries start on a line of their own. A corrupt complete line is an error.
     */
    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int lineNumber = 0;
        for (int end = indexOf(bytes, start); end >= 0; end = indexOf(bytes, start)) {
            lineNumber++;
            String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            start = end + 1;
            if (line.isBlank()) continue;
            try {
                JsonNode node = JSON.readTree(line);
                entries.put(node.get("key").asText(), new Entry(node.get("logp").asDouble(), node.get("tokens").asLong()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": corrupt reference cache line (delete the file to rebuild it)");
            }
        }
        if (start < bytes.length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(start);
                channel.force(true);
            }
            tornBytes = bytes.length - start;
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == '\n') return i;
        return -1;
    }

    /** Bytes of a torn last line cut off when the cache was opened (0 when the file was whole). */
    public int tornBytes() {
        return tornBytes;
    }

    public Entry get(ScoreRequest request) {
        Entry entry = entries.get(key(request));
        if (entry == null) misses++;
        else hits++;
        return entry;
    }

    public boolean contains(ScoreRequest request) {
        return entries.containsKey(key(request));
    }

    public void put(ScoreRequest request, double logp, long tokens) {
        if (!Double.isFinite(logp)) {
            throw new ArithmeticException("reference log-probability of request '" + request.id() + "' is " + logp);
        }
        String key = key(request);
        if (entries.putIfAbsent(key, new Entry(logp, tokens)) != null) return;
        try {
            writer.write(JSON.createObjectNode().put("key", key).put("id", request.id()).put("logp", logp)
                    .put("tokens", tokens).toString());
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes every entry so far durable (called before a checkpoint is declared complete). */
    public void flush() throws IOException {
        writer.flush();
    }

    public int size() {
        return entries.size();
    }

    public int hits() {
        return hits;
    }

    public int misses() {
        return misses;
    }

    String key(ScoreRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, modelFingerprint);
            for (Path image : request.context().images()) {
                update(digest, image.toAbsolutePath().normalize().toString());
                update(digest, Files.size(image) + ":" + Files.getLastModifiedTime(image).toMillis());
            }
            update(digest, request.context().prompt());
            update(digest, request.response());
            if (request.maskSpans() != null) {
                for (int[] span : request.maskSpans()) update(digest, span[0] + "-" + span[1]);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image of request '" + request.id() + "'", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
