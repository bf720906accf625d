package org.vco4j.eval;

import org.vco4j.data.world.WorldVocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the objects a caption names, CHAIR's parsing step for the world's closed vocabulary: every shape word
 * (singular or plural) is one mention, coloured by a colour word right before it, size words ("small red
 * circle", "red small circle") allowed in between. "Two red circles" is one mention, as in CHAIR; negations are
 * not understood (the world's captions do not use them).
 */
public final class CaptionMentions {
    private CaptionMentions() {}

    public static List<Mention> parse(String caption) {
        String[] words = caption.toLowerCase(Locale.ROOT).split("[^a-z]+");
        List<Mention> mentions = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            String shape = shape(words[i]);
            if (shape == null) continue;
            String color = null;
            for (int j = i - 1; j >= 0; j--) {
                if (WorldVocabulary.COLORS.contains(words[j])) {
                    color = words[j];
                    break;
                }
                if (!WorldVocabulary.SIZES.contains(words[j])) break;
            }
            mentions.add(new Mention(color, shape));
        }
        return mentions;
    }

    /** The singular shape a word names, or null. */
    static String shape(String word) {
        for (String shape : WorldVocabulary.SHAPES) {
            if (word.equals(shape) || word.equals(WorldVocabulary.plural(shape))) return shape;
        }
        return null;
    }
}
