package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;

import java.util.List;

/**
 * CHAIR's counts for one caption (Rohrbach et al., 2018) in two strictnesses. Object level: a mention is
 * hallucinated when no object of the scene has its shape. Attribute level: also when no object has its colour
 * and shape (a mention without a colour is judged by shape alone). Coverage counts the scene's objects that the
 * caption names: by shape, or by colour and shape.
 */
public record ChairScore(int mentions, int hallucinatedObjects, int hallucinatedAttributes, int objects,
                         int coveredObjects, int coveredAttributes) {

    public static ChairScore of(List<Mention> mentions, Scene scene) {
        int hallucinatedObjects = 0;
        int hallucinatedAttributes = 0;
        for (Mention mention : mentions) {
            boolean shapeSeen = scene.containsShape(mention.shape());
            if (!shapeSeen) hallucinatedObjects++;
            if (!shapeSeen || (mention.color() != null && !scene.contains(mention.color(), mention.shape()))) hallucinatedAttributes++;
        }
        int coveredObjects = 0;
        int coveredAttributes = 0;
        for (SceneObject object : scene.objects()) {
            if (mentions.stream().anyMatch(m -> m.shape().equals(object.shape()))) coveredObjects++;
            if (mentions.stream().anyMatch(m -> m.shape().equals(object.shape()) && object.color().equals(m.color()))) coveredAttributes++;
        }
        return new ChairScore(mentions.size(), hallucinatedObjects, hallucinatedAttributes, scene.objects().size(),
                coveredObjects, coveredAttributes);
    }

    /** The sums of two captions' counts. */
    public ChairScore plus(ChairScore other) {
        return new ChairScore(mentions + other.mentions, hallucinatedObjects + other.hallucinatedObjects,
                hallucinatedAttributes + other.hallucinatedAttributes, objects + other.objects,
                coveredObjects + other.coveredObjects, coveredAttributes + other.coveredAttributes);
    }
}
