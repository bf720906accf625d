package org.vco4j.eval;

import org.vco4j.data.world.Question;
import org.vco4j.model.processing.Context;

import java.nio.file.Path;
import java.util.List;

/**
 * The English the benchmarks speak to a model about the synthetic world: questions and answers, in the phrasing
 * of the world's own captions and questions. Every word is in the tokenizer's vocabulary; {@link ForcedChoice} rejects candidates that the tokenizer cannot tell apart.
 */
public final class WorldQuestions {
    public static final String YES = "yes";
    public static final String NO = "no";
    /** The captioning prompt (CHAIR). */
    public static final String DESCRIBE = "Describe the image.";

    private WorldQuestions() {}

    /** POPE's question: "Is there a red circle in the image?". */
    public static String existence(ObjectKind kind) {
        return Question.exists(kind.color(), kind.shape()).prompt();
    }

    /** "What colour is the circle?" (asked only when the scene has exactly one object of that shape). */
    public static String colorOf(String shape) {
        return Question.colorOf(shape).prompt();
    }

    /** "Is the circle on the left or on the right?" (answers "left" / "right"). */
    public static String sideOf(String shape) {
        return Question.positionOf(shape).prompt();
    }

    /** One image, placed before the prompt as in LLaVA's training data. */
    public static Context withImage(Path image, String prompt) {
        return new Context(List.of(image), Context.IMAGE_PLACEHOLDER + "\n" + prompt);
    }

    /** The same prompt with the image removed altogether (no image slot, the papers' ∅). */
    public static Context withoutImage(String prompt) {
        return Context.textOnly(prompt);
    }

    /** A sample's prompt without its image placeholders: the question to ask again with other images, or none. */
    static String questionOf(String prompt) {
        return prompt.replace(Context.IMAGE_PLACEHOLDER + "\n", "").replace(Context.IMAGE_PLACEHOLDER, "").strip();
    }
}
