package org.vco4j.data.imports;

import org.vco4j.common.Json;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * SeVa's pairs (a JSON list made by {@code make_pair_textvqa.py}): {@code chosen} (the answer on the original
 * image), {@code reject} (the answer on the augmented image), {@code question} and {@code image_id}, whose file is
 * {@code image_id + ".jpg"}. A record is the preference pair {@code (m, x, y ≻ y_l)}. The loader puts
 * {@code <image>\n} before the question, as vco4j's prompt rule does. Pairs with equal answers are dropped by the
 * shared path, as SeVa drops them.
 */
public final class SevaRecords implements DatasetReader {
    public static final String NAME = "seva";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) {
        JsonNode id = record.required("image_id");
        if (!id.isTextual() && !id.isIntegralNumber()) throw record.error("image_id", "must be a string or an integer, got " + Json.kind(id));
        if (id.asText().isBlank()) throw record.error("image_id", "must not be empty");
        ImageSource image = new ImageSource(id.asText() + ".jpg", null, "image_id");
        return ImportedRecord.pair(image, DatasetReader.nonEmpty(record, "question"), DatasetReader.nonEmpty(record, "chosen"),
                DatasetReader.nonEmpty(record, "reject"));
    }
}
