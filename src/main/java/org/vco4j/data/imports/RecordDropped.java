package org.vco4j.data.imports;

/**
 * A well-formed record that the dataset's own loader would skip (a SeVa pair whose answers are equal, an IC-VCO
 * row with an empty text) or that vco4j's sample format cannot hold (a multi-turn conversation). It is counted in
 * the import's summary under its reason, not treated as an error.
 */
public final class RecordDropped extends Exception {
    public RecordDropped(String reason) {
        super(reason, null, false, false);
    }

    /** The reason, as the summary lists it. */
    public String reason() {
        return getMessage();
    }
}
