package org.vco4j.data.imports;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JoMPO's VTC (Visual-Textual Contrast) data, e.g. VTC-5k: per record two CLIP-blind images {@code m_w}, {@code m_l}, the
 * prompt they share, a response true of each, and the one visual contrast type the pair differs in (JoMPO, §4 and
 * Appendix D). A record is the symmetric tuple {@code (m = m_w, m' = m_l, x, y = y_w, y' = y_l)} with its contrast type.
 *
 * <p>The column names are declared with {@code --map} as for {@link ColumnRecords} (roles {@code image},
 * {@code contrast_image}, {@code prompt}, {@code chosen}, {@code contrast_response} and {@code contrast}, all
 * required), because the published files' own column names could not be checked against the files; what this reader
 * adds is the paper's: the contrast type must be one of the nine of Appendix D.1 (spelling, case and punctuation
 * aside; Table 6's "Text" is "Text and Symbols"), and samples carry its canonical name, so the import summary counts
 * the records per type as Table 6 does.
 */
public final class VtcRecords implements DatasetReader {
    public static final String NAME = "jompo-vtc";
    /** The nine visual contrast types of JoMPO's Appendix D.1, in its order. */
    public static final List<String> CONTRAST_TYPES = List.of("Orientation and Direction", "Presence of Specific Features",
            "State and Condition", "Quantity and Count", "Positional and Relational Context", "Color and Appearance",
            "Structural and Physical Characteristics", "Text and Symbols", "Viewpoint and Perspective");
    private static final List<String> ROLES = List.of("image", "contrast_image", "prompt", "chosen", "contrast_response", "contrast");
    private static final Map<String, String> BY_KEY = new LinkedHashMap<>();

    static {
        for (String type : CONTRAST_TYPES) BY_KEY.put(key(type), type);
        BY_KEY.put(key("Text"), "Text and Symbols");
    }

    private final ColumnRecords columns;
    private final String contrastField;

    /** @param columns role → field, as {@link ColumnRecords#parse} returns it; every role of the tuple and {@code contrast} */
    public VtcRecords(Map<String, String> columns) {
        for (String role : ROLES) {
            if (!columns.containsKey(role)) {
                throw new IllegalArgumentException("option --map: --format " + NAME + " maps every role of its tuples: " + String.join(", ", ROLES)
                        + " (missing " + role + ")");
            }
        }
        this.columns = new ColumnRecords(columns);
        this.contrastField = columns.get("contrast");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) {
        ImportedRecord tuple = columns.read(record);
        String type = BY_KEY.get(key(tuple.contrast()));
        if (type == null) {
            throw record.error(contrastField, "'" + tuple.contrast() + "' is none of JoMPO's nine contrast types (" + String.join(", ", CONTRAST_TYPES) + ")");
        }
        return new ImportedRecord(tuple.images(), tuple.prompt(), tuple.responses(), tuple.rejected(), tuple.masks(), type, tuple.notes());
    }

    /** Lower case, letters and digits only, "&" read as "and": "Color & Appearance" and "color_and_appearance" match. */
    private static String key(String type) {
        String plain = Normalizer.normalize(type, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace("&", " and ");
        return String.join(" ", plain.replaceAll("[^\\p{L}\\p{N}]+", " ").strip().split(" "));
    }
}
