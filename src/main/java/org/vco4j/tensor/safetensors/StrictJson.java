package org.vco4j.tensor.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** The JSON reader shared by header and index parsing: no silent leniency. */
final class StrictJson {
    /** The reference implementation's bound on a header; index files get the same one. */
    static final long MAX_DOCUMENT_BYTES = 100_000_000L;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // Jackson keeps the last of two equal keys, which would hide a tensor or a shard entry.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson's default string and name limits are below what a legal 100 MB header may hold.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_DOCUMENT_BYTES)
                    .maxNameLength((int) MAX_DOCUMENT_BYTES)
                    .build())
            .build())
            // Also when a caller turns the parser-level check off to report top-level repeats itself.
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** Reads a whole document as one JSON value; anything but whitespace after it is an error. */
    static final ObjectReader DOCUMENT = MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {}
}
