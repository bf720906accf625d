package org.vco4j.eval;

import org.vco4j.data.world.Captions;
import org.vco4j.data.world.Question;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;
import org.vco4j.model.processing.Condition;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The English the benchmarks speak to a model about the synthetic world: questions, answers and ground-truth
 * captions, in the phrasing of the world's own captions and questions. Every word is in the tokenizer's
 * vocabulary; {@link ForcedChoice} rejects candidates that the tokenizer cannot tell apart.
 */
public final class WorldQuestions {
    public static final String YES = "yes";
    public static final String NO = "no";
    /** The captioning prompt (CHAIR, neglect diagnostic). */
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

    /** The ground-truth caption, exactly as the world writes it for SFT ("There is a small red circle on the left."). */
    public static String caption(Scene scene) {
        return Captions.describe(scene.objects());
    }

    static String sentence(SceneObject object) {
        return "There is " + article(object.size()) + " " + object.noun(true) + " on the " + object.region() + ".";
    }

    /** One image, placed before the prompt as in LLaVA's training data. */
    public static Condition withImage(Path image, String prompt) {
        return new Condition(List.of(image), Condition.IMAGE_PLACEHOLDER + "\n" + prompt);
    }

    /** The same prompt with the image removed altogether (no image slot, the papers' ∅). */
    public static Condition withoutImage(String prompt) {
        return Condition.textOnly(prompt);
    }

    static String article(String nextWord) {
        return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a";
    }
}
