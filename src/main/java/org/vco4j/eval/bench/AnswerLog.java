package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-item answers of a run, {@value #FILE_NAME}: one line {@code {"id", "image", "prompt", "answer"}} per
 * answered item, appended and forced to disk as each answer comes. It is the run's journal: an interrupted run
 * reads it back and asks only what is missing. A last line cut short by the interruption is dropped; any other bad
 * line, or a line whose prompt is not the item's, is an error naming the line.
 */
final class AnswerLog implements AutoCloseable {
    static final String FILE_NAME = "answers.jsonl";

    private final Map<String, String> completed;
    private final FileChannel channel;

    private AnswerLog(Map<String, String> completed, FileChannel channel) {
        this.completed = completed;
        this.channel = channel;
    }

    /** Opens (or starts) the log in {@code folder} for these items, keyed by id. */
    static AnswerLog open(Path folder, Map<String, BenchmarkItem> items) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        Map<String, String> completed = Files.exists(file) ? readCompleted(file, items) : new LinkedHashMap<>();
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new AnswerLog(completed, channel);
    }

    /** Answers already in the log, by item id, in the order they were written. */
    Map<String, String> completed() {
        return completed;
    }

    void append(BenchmarkItem item, String answer) throws IOException {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("id", item.id());
        line.put("image", item.image() == null ? null : item.image().getFileName().toString());
        line.put("prompt", item.prompt());
        line.put("answer", answer);
        ByteBuffer bytes = ByteBuffer.wrap((Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) channel.write(bytes);
        channel.force(false);
        completed.put(item.id(), answer);
    }

    private static Map<String, String> readCompleted(Path file, Map<String, BenchmarkItem> items) throws IOException {
        dropUnfinishedLine(file);
        Map<String, String> completed = new LinkedHashMap<>();
        for (BenchmarkFiles.Line line : BenchmarkFiles.jsonLines(file)) {
            JsonNode node = line.node();
            String id = BenchmarkFiles.text(node, "id", line.where());
            BenchmarkItem item = items.get(id);
            if (item == null) {
                throw new IllegalArgumentException(line.where() + ": field 'id': '" + id + "' is no item of this benchmark "
                        + "(answers of another data set: use another --out)");
            }
            if (!BenchmarkFiles.text(node, "prompt", line.where()).equals(item.prompt())) {
                throw new IllegalArgumentException(line.where() + ": field 'prompt' differs from item '" + id
                        + "' (answers of another prompt: use another --out)");
            }
            completed.put(id, BenchmarkFiles.text(node, "answer", line.where()));
        }
        return completed;
    }

    /** An interrupted write leaves a last line without its newline: cut it off, that item is asked again. */
    private static void dropUnfinishedLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                channel.read(one, keep - 1);
                if (one.get(0) == '\n') break;
                keep--;
            }
            if (keep < size) {
                channel.truncate(keep);
                channel.force(true);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
