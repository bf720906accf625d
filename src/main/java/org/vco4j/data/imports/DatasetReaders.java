package org.vco4j.data.imports;

import java.util.List;

/** The published layouts {@code vco data import --format} reads, by name. */
public final class DatasetReaders {
    /** Names in the order help texts list them. */
    public static final List<String> NAMES = List.of(MvcRecords.NAME, IcVcoRecords.NAME, IcVcoRecords.SYNTHETIC_NAME,
            SevaRecords.NAME, MdpoRecords.NAME, RlaifVRecords.NAME, LlavaRlhfRecords.NAME, VtcRecords.NAME, ColumnRecords.NAME);

    private DatasetReaders() {}

    /**
     * The reader of {@code format}.
     *
     * @param mapping {@code role=field,...} for {@value ColumnRecords#NAME} and {@value VtcRecords#NAME}, null for the others
     */
    public static DatasetReader named(String format, String mapping) {
        boolean mapped = ColumnRecords.NAME.equals(format) || VtcRecords.NAME.equals(format);
        if (mapped != (mapping != null)) {
            throw new IllegalArgumentException("option --map: needed with --format " + ColumnRecords.NAME + " and " + VtcRecords.NAME + " and only there");
        }
        return switch (format) {
            case MvcRecords.NAME, "mvc" -> new MvcRecords();
            case IcVcoRecords.NAME -> new IcVcoRecords(false);
            case IcVcoRecords.SYNTHETIC_NAME -> new IcVcoRecords(true);
            case SevaRecords.NAME -> new SevaRecords();
            case MdpoRecords.NAME -> new MdpoRecords();
            case RlaifVRecords.NAME -> new RlaifVRecords();
            case LlavaRlhfRecords.NAME -> new LlavaRlhfRecords();
            case VtcRecords.NAME -> new VtcRecords(ColumnRecords.parse(mapping));
            case ColumnRecords.NAME -> new ColumnRecords(ColumnRecords.parse(mapping));
            default -> throw new IllegalArgumentException("option --format: unknown format '" + format + "'; known: "
                    + String.join(", ", NAMES) + " (mvc is s-vco)");
        };
    }
}
