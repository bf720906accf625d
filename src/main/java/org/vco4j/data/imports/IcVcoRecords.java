package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.data.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * IC-VCO's preference rows (JSONL, {@code make_standard_preference_data}): {@code prompt}, {@code chosen},
 * {@code rejected}, {@code images} (exactly two: path strings or {@code {"path", "bytes"}} objects),
 * {@code chosen_response_spans} / {@code rejected_response_spans} (optional lists of {@code [start, end]}
 * character offsets, end exclusive) and optional {@code synthetic_image} / {@code synthetic_response}. The loader
 * reads {@code chosen} as {@code resp_1} true of {@code images[0]} and {@code rejected} as {@code resp_2} true of
 * {@code images[1]}, so a row is the tuple {@code (m, m', x, y, y')}, its spans the token masks of {@code y} and
 * {@code y'} (a token counts when its text overlaps a span, as {@code prepare_token_mask} decides).
 *
 * <p>With {@code synthetic} set ({@code --format ic-vco-synthetic}) the contrast is the row's synthetic one,
 * {@code m' = synthetic_image}, {@code y' = synthetic_response}, without masks (the spans mark the edited answer).
 * Rows with an empty text or image are dropped, as the dataset registry's filter drops them.
 */
public final class IcVcoRecords implements DatasetReader {
    public static final String NAME = "ic-vco";
    public static final String SYNTHETIC_NAME = "ic-vco-synthetic";

    private final boolean synthetic;

    public IcVcoRecords(boolean synthetic) {
        this.synthetic = synthetic;
    }

    @Override
    public String name() {
        return synthetic ? SYNTHETIC_NAME : NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) throws RecordDropped {
        String prompt = record.text("prompt");
        String chosen = record.text("chosen");
        String rejected = record.text("rejected");
        List<JsonNode> images = record.list("images");
        if (images.size() != 2) throw record.error("images", "holds " + images.size() + " images; a preference row has exactly two");
        if (prompt.isBlank() || chosen.isBlank() || rejected.isBlank() || images.stream().anyMatch(IcVcoRecords::emptyImage)) {
            throw new RecordDropped("empty text or image (dropped as IC-VCO's loader drops it)");
        }
        ImageSource m = ImageSource.of(record, images.get(0), "images[0]");
        if (synthetic) {
            String response = record.optionalText("synthetic_response");
            if (!record.has("synthetic_image") || response == null || response.isBlank()) {
                throw new RecordDropped("no synthetic_image / synthetic_response");
            }
            return ImportedRecord.tuple(m, ImageSource.of(record, "synthetic_image"), prompt, chosen, response);
        }
        ImportedRecord tuple = ImportedRecord.tuple(m, ImageSource.of(record, images.get(1), "images[1]"), prompt, chosen, rejected);
        List<Span> chosenSpans = spans(record, "chosen_response_spans", chosen);
        List<Span> rejectedSpans = spans(record, "rejected_response_spans", rejected);
        if (chosenSpans.isEmpty() && rejectedSpans.isEmpty()) return tuple;
        if (chosenSpans.isEmpty() || rejectedSpans.isEmpty()) {
            throw new RecordDropped("spans on one response only (vco4j's masks cover both responses or neither)");
        }
        return tuple.withMasks(List.of(chosenSpans, rejectedSpans));
    }

    /** The registry's {@code _is_valid_image_value}, negated: null, a blank path, or an object with neither path nor bytes. */
    private static boolean emptyImage(JsonNode image) {
        if (image.isObject()) return image.path("path").asText("").isBlank() && (image.get("bytes") == null || image.get("bytes").isNull());
        return image.isNull() || image.isTextual() && image.asText().isBlank();
    }

    /** The spans of {@code field} over {@code text}, given in code points (Python string indices). */
    private static List<Span> spans(SourceRecord record, String field, String text) {
        if (!record.has(field)) return List.of();
        List<JsonNode> list = record.list(field);
        int length = text.codePointCount(0, text.length());
        List<Span> out = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            JsonNode span = list.get(k);
            String where = field + "[" + k + "]";
            if (!span.isArray() || span.size() != 2 || !span.get(0).canConvertToInt() || !span.get(1).canConvertToInt()
                    || !span.get(0).isIntegralNumber() || !span.get(1).isIntegralNumber()) {
                throw record.error(where, "must be a [start, end] pair of integers, got " + span);
            }
            int start = span.get(0).intValue();
            int end = span.get(1).intValue();
            if (start < 0 || end > length || end <= start) {
                throw record.error(where, span + " is not a non-empty span inside the response (" + length + " characters)");
            }
            out.add(Span.fromCodePoints(text, start, end));
        }
        return out;
    }
}
