package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any other pairwise layout through a declared mapping from vco4j's sample roles to the record's fields
 * ({@code --map prompt=question,chosen=answer_a,rejected=answer_b,image=img}), so a new layout needs no code. A
 * field may be a dotted path ({@code conversations.0.value}). Roles: {@code image} ({@code m}), {@code prompt}
 * ({@code x}), {@code chosen} ({@code y}) — all required — and {@code rejected} ({@code y_l}) for a preference
 * pair, or {@code contrast_image} ({@code m'}) with {@code contrast_response} ({@code y'}) for a contrastive tuple
 * (a tuple may also carry {@code rejected}); optional {@code contrast} (the contrast type).
 */
public final class ColumnRecords implements DatasetReader {
    public static final String NAME = "columns";
    public static final List<String> ROLES = List.of("image", "prompt", "chosen", "rejected", "contrast_image", "contrast_response", "contrast");

    private final Map<String, String> columns;

    /** @param columns role → field, as {@link #parse} returns it */
    public ColumnRecords(Map<String, String> columns) {
        for (String role : List.of("image", "prompt", "chosen")) {
            if (!columns.containsKey(role)) throw new IllegalArgumentException("option --map: role \"" + role + "\" is required (roles: " + String.join(", ", ROLES) + ")");
        }
        boolean tuple = columns.containsKey("contrast_image") || columns.containsKey("contrast_response");
        if (tuple && !(columns.containsKey("contrast_image") && columns.containsKey("contrast_response"))) {
            throw new IllegalArgumentException("option --map: a contrastive tuple maps both contrast_image and contrast_response");
        }
        if (!tuple && !columns.containsKey("rejected")) {
            throw new IllegalArgumentException("option --map: map \"rejected\" (a preference pair) or contrast_image and contrast_response (a tuple)");
        }
        this.columns = Map.copyOf(columns);
    }

    /** {@code role=field,role=field,...} as a map, each role known and given once. */
    public static Map<String, String> parse(String mapping) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String entry : mapping.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("option --map: '" + entry.strip() + "' is not role=field");
            }
            String role = entry.substring(0, equals).strip();
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("option --map: unknown role '" + role + "' (roles: " + String.join(", ", ROLES) + ")");
            }
            if (columns.put(role, entry.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException("option --map: role '" + role + "' is mapped twice");
            }
        }
        return columns;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) {
        List<ImageSource> images = new ArrayList<>();
        images.add(ImageSource.of(record, value(record, "image"), columns.get("image")));
        List<String> responses = new ArrayList<>(List.of(text(record, "chosen")));
        if (columns.containsKey("contrast_image")) {
            images.add(ImageSource.of(record, value(record, "contrast_image"), columns.get("contrast_image")));
            responses.add(text(record, "contrast_response"));
        }
        List<String> rejected = columns.containsKey("rejected") ? List.of(text(record, "rejected")) : List.of();
        String contrast = columns.containsKey("contrast") ? text(record, "contrast") : null;
        return new ImportedRecord(images, text(record, "prompt"), responses, rejected, List.of(), contrast, List.of());
    }

    private JsonNode value(SourceRecord record, String role) {
        String field = columns.get(role);
        JsonNode value = record.at(field);
        if (value == null) throw new IllegalArgumentException(record.location() + ": missing field \"" + field + "\" (mapped to " + role + ")");
        return value;
    }

    private String text(SourceRecord record, String role) {
        String text = record.text(value(record, role), columns.get(role));
        if (text.isBlank()) throw record.error(columns.get(role), "must not be empty");
        return text;
    }
}
