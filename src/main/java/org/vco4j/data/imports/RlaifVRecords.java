package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RLAIF-V's preference pairs, in either published form, told apart per record:
 * <ul>
 *   <li>the dataset's own columns ({@code openbmb/RLAIF-V-Dataset}): {@code image} (a Hugging Face image,
 *       {@code {"bytes", "path"}}, or a path), {@code question}, {@code chosen}, {@code rejected};</li>
 *   <li>TRL's conversational form ({@code examples/datasets/rlaif-v.py}): {@code images} (one image),
 *       {@code prompt} = {@code [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": q}]}]},
 *       {@code chosen} / {@code rejected} = {@code [{"role": "assistant", "content": [{"type": "text", ...}]}]}.</li>
 * </ul>
 * A record is the preference pair {@code (m, x, y ≻ y_l)}.
 */
public final class RlaifVRecords implements DatasetReader {
    public static final String NAME = "rlaif-v";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) throws RecordDropped {
        if (record.has("prompt") && record.node().get("prompt").isArray()) {
            return ImportedRecord.pair(ImageSource.of(record, "images"), turnText(record, "prompt", "user"),
                    turnText(record, "chosen", "assistant"), turnText(record, "rejected", "assistant"));
        }
        return ImportedRecord.pair(ImageSource.of(record, "image"), DatasetReader.nonEmpty(record, "question"),
                DatasetReader.nonEmpty(record, "chosen"), DatasetReader.nonEmpty(record, "rejected"));
    }

    /** The text of the single {@code role} message of a conversational field (its text parts joined). */
    private static String turnText(SourceRecord record, String field, String role) throws RecordDropped {
        var messages = record.list(field);
        if (messages.size() != 1) {
            if (messages.size() > 1) throw new RecordDropped("multi-turn conversation (vco4j's samples hold one question)");
            throw record.error(field, "holds no message");
        }
        JsonNode message = messages.get(0);
        String where = field + "[0]";
        if (!message.isObject() || !role.equals(message.path("role").asText())) {
            throw record.error(where, "must be a message with \"role\": \"" + role + "\"");
        }
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) return nonBlank(record, content.asText(), where + ".content");
        if (content == null || !content.isArray()) throw record.error(where + ".content", "must be a string or a list of parts");
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                if (!part.path("text").isTextual()) throw record.error(where + ".content", "a text part needs a string \"text\"");
                text.append(part.get("text").asText());
            }
        }
        return nonBlank(record, text.toString(), where + ".content");
    }

    private static String nonBlank(SourceRecord record, String text, String field) {
        if (text.isBlank()) throw record.error(field, "holds no text");
        return text;
    }
}
