package org.vco4j.data.imports;

import org.vco4j.model.processing.Context;

/**
 * mDPO's pairs (a JSON list, {@code data/sample_data.json}): {@code img_path}, {@code prompt}, {@code chosen},
 * {@code rejected}, where the prompt is the whole Vicuna v1 conversation {@code "<system> USER: <image>\n{q}
 * ASSISTANT:"}. The question {@code q} is what lies between {@code USER:} and the final {@code ASSISTANT:}; a
 * leading {@code <image>\n} is removed (vco4j's prompt rule puts it back), an {@code <image>} elsewhere stays where
 * it is. The system sentence is Vicuna's fixed one, which LLaVA-1.5's chat template writes itself. A prompt with
 * more than one user turn is dropped: vco4j's samples hold one question.
 */
public final class MdpoRecords implements DatasetReader {
    public static final String NAME = "mdpo";
    static final String USER = "USER:";
    static final String ASSISTANT = "ASSISTANT:";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImportedRecord read(SourceRecord record) throws RecordDropped {
        String prompt = DatasetReader.nonEmpty(record, "prompt");
        String question = question(record, prompt);
        return ImportedRecord.pair(ImageSource.of(record, "img_path"), question, DatasetReader.nonEmpty(record, "chosen"),
                DatasetReader.nonEmpty(record, "rejected"));
    }

    static String question(SourceRecord record, String prompt) throws RecordDropped {
        int user = prompt.indexOf(USER);
        String trimmed = prompt.stripTrailing();
        if (user < 0 || !trimmed.endsWith(ASSISTANT)) {
            throw record.error("prompt", "is not a Vicuna conversation \"... USER: <image>\\n<question> ASSISTANT:\"");
        }
        if (prompt.indexOf(USER, user + USER.length()) >= 0) throw new RecordDropped("multi-turn prompt (vco4j's samples hold one question)");
        String question = trimmed.substring(user + USER.length(), trimmed.length() - ASSISTANT.length()).strip();
        String lead = Context.IMAGE_PLACEHOLDER + "\n";
        if (question.startsWith(lead)) question = question.substring(lead.length()).strip();
        if (question.isEmpty()) throw record.error("prompt", "holds no question between USER: and ASSISTANT:");
        return question;
    }
}
