package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The world's description grammar. Objects are grouped by colour and shape; groups are named in vocabulary
 * order (shape, then colour), not by position, so mirroring or editing one object changes as few words as
 * possible:
 * <pre>
 *   caption := "There " ("is" | "are") group ((", " group)* " and " group)? "."
 *   group   := "a " size " " color " " shape " on the " region            (one object)
 *            | count [" " size] " " color " " plural [" on the " region]  (several; size and region
 *                                                                          only when all share them)
 * </pre>
 * The verb agrees with the first group: "There is a small red circle on the left and two blue squares."
 */
public final class Captions {
    /** The prompt every description answers. */
    public static final String DESCRIBE_PROMPT = "Describe the image.";

    private Captions() {}

    /** The description of these objects. */
    public static String describe(List<SceneObject> objects) {
        if (objects.isEmpty()) throw new IllegalArgumentException("a description needs at least one object");
        List<List<SceneObject>> groups = groups(objects);
        List<String> phrases = new ArrayList<>();
        for (List<SceneObject> group : groups) phrases.add(phrase(group));
        StringBuilder text = new StringBuilder("There ").append(groups.get(0).size() == 1 ? "is " : "are ");
        for (int i = 0; i < phrases.size(); i++) {
            if (i > 0) text.append(i == phrases.size() - 1 ? " and " : ", ");
            text.append(phrases.get(i));
        }
        return text.append('.').toString();
    }

    /** Objects grouped by colour and shape, in vocabulary order of shape, then colour. */
    static List<List<SceneObject>> groups(List<SceneObject> objects) {
        Map<String, List<SceneObject>> byKind = new LinkedHashMap<>();
        objects.stream()
                .sorted(Comparator.comparingInt((SceneObject o) -> WorldVocabulary.SHAPES.indexOf(o.shape()))
                        .thenComparingInt(o -> WorldVocabulary.COLORS.indexOf(o.color())))
                .forEach(o -> byKind.computeIfAbsent(o.color() + " " + o.shape(), k -> new ArrayList<>()).add(o));
        return new ArrayList<>(byKind.values());
    }

    private static String phrase(List<SceneObject> group) {
        SceneObject first = group.get(0);
        if (group.size() == 1) return "a " + first.noun(true) + " on the " + first.region();
        boolean sameSize = group.stream().allMatch(o -> o.size().equals(first.size()));
        boolean sameRegion = group.stream().allMatch(o -> o.region().equals(first.region()));
        return WorldVocabulary.count(group.size()) + (sameSize ? " " + first.size() : "") + " " + first.color() + " "
                + WorldVocabulary.plural(first.shape()) + (sameRegion ? " on the " + first.region() : "");
    }
}
