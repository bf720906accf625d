package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * S-VCO's MVC data (a JSON list, read by {@code DatasetSVCOForLlava15}): {@code system_prompt},
 * {@code instruction_prompt}, {@code chosen_images} / {@code rejected_images} (lists of paths) and
 * {@code chosen_response} / {@code rejected_response}. Each response is true of its own image, so a record is
 * the symmetric tuple {@code m = chosen_images[0]}, {@code m' = rejected_images[0]}, {@code x = instruction_prompt},
 * {@code y = chosen_response}, {@code y' = rejected_response}. vco4j's samples hold one image per side and no system
 * prompt: a non-empty {@code system_prompt} is noted in the summary (the chat template's default applies instead).
 * The loader puts the images after the instruction text, but LLaVA's chat templates render images first, as
 * vco4j's prompt rule does.
 */
public final class MvcRecords implements DatasetReader {
    public static final String NAME = "s-vco";
    static final String SYSTEM_PROMPT_NOTE = "system_prompt not carried over";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) {
        ImageSource m = onlyImage(record, "chosen_images");
        ImageSource mPrime = onlyImage(record, "rejected_images");
        ImportedRecord tuple = ImportedRecord.tuple(m, mPrime, DatasetReader.nonEmpty(record, "instruction_prompt"),
                DatasetReader.nonEmpty(record, "chosen_response"), DatasetReader.nonEmpty(record, "rejected_response"));
        String system = record.optionalText("system_prompt");
        return system == null || system.isBlank() ? tuple : tuple.withNote(SYSTEM_PROMPT_NOTE);
    }

    private static ImageSource onlyImage(SourceRecord record, String field) {
        List<JsonNode> images = record.list(field);
        if (images.size() != 1) {
            throw record.error(field, "holds " + images.size() + " images; vco4j's tuples take exactly one image per side");
        }
        return ImageSource.of(record, images.get(0), field + "[0]");
    }
}
