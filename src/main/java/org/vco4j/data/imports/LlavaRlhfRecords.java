package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * LLaVA-RLHF's human preference data ({@code LLaVA-Human-Preference-10K/llava_7b_v1_preference.json}, a JSON
 * list): {@code id}, {@code image} (a COCO file name), {@code conversations} (LLaVA's {@code from}/{@code value}
 * turns ending with the human question), {@code output_1} / {@code output_2} ({@code {"from", "value"}} answers to
 * that question) and {@code preference} (1 or 2, the better output). A record is the preference pair
 * {@code (m, x, output_preference ≻ the other)}. Records with more than one human turn are dropped: vco4j's samples
 * hold one question, and keeping only the last would answer it without the earlier turns it refers to.
 */
public final class LlavaRlhfRecords implements DatasetReader {
    public static final String NAME = "llava-rlhf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) throws RecordDropped {
        List<JsonNode> turns = record.list("conversations");
        String question = null;
        for (int k = 0; k < turns.size(); k++) {
            JsonNode turn = turns.get(k);
            String where = "conversations[" + k + "]";
            if (!turn.isObject() || !turn.path("from").isTextual() || !turn.path("value").isTextual()) {
                throw record.error(where, "must be a {\"from\", \"value\"} turn");
            }
            if (turn.get("from").asText().equals("human")) {
                if (question != null) throw new RecordDropped("multi-turn conversation (vco4j's samples hold one question)");
                question = turn.get("value").asText();
            }
        }
        if (question == null || question.isBlank()) throw record.error("conversations", "holds no human question");
        JsonNode preference = record.required("preference");
        if (!preference.isIntegralNumber() || preference.asInt() < 1 || preference.asInt() > 2) {
            throw record.error("preference", "must be 1 or 2, got " + preference);
        }
        String first = output(record, "output_1");
        String second = output(record, "output_2");
        boolean firstWins = preference.asInt() == 1;
        return ImportedRecord.pair(ImageSource.of(record, "image"), question, firstWins ? first : second, firstWins ? second : first);
    }

    private static String output(SourceRecord record, String field) {
        JsonNode output = record.required(field);
        JsonNode value = output.isObject() ? output.get("value") : output;
        if (value == null || !value.isTextual()) throw record.error(field, "must be a {\"from\", \"value\"} answer or a string");
        if (value.asText().isBlank()) throw record.error(field, "must not be empty");
        return value.asText();
    }
}
