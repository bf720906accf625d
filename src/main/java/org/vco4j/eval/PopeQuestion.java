package org.vco4j.eval;

import java.nio.file.Path;

/** One POPE question: does {@code kind} appear in the scene's image? {@code truth} is the ground-truth answer. */
public record PopeQuestion(PopeSplit split, String sceneId, Path image, ObjectKind kind, boolean truth) {
    public String id() {
        return split.label() + "/" + sceneId + "/" + kind.color() + "-" + kind.shape();
    }

    public String question() {
        return WorldQuestions.existence(kind);
    }
}
