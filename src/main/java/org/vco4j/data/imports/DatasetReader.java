package org.vco4j.data.imports;

/**
 * Reads one published dataset layout: each record as the dataset's own loader reads it, mapped onto vco4j's
 * sample roles. Implementations validate only their own fields; placing images, checking them, the sample
 * format's rules, writing and the summary are shared ({@link DatasetImport}).
 */
public interface DatasetReader {
    /** The name {@code --format} takes. */
    String name();

    /** The record in sample roles. */
    ImportedRecord read(SourceRecord record) throws RecordDropped;

    /** The text of a required field that must not be empty. */
    static String nonEmpty(SourceRecord record, String field) {
        String text = record.text(field);
        if (text.isBlank()) throw record.error(field, "must not be empty");
        return text;
    }
}
