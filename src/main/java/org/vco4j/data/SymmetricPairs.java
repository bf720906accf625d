package org.vco4j.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A contrastive tuple holds two preferences, {@code (m: y ≻ y')} and {@code (m': y' ≻ y)}. Objectives that
 * read one preference per sample (DPO, mDPO, SeVa with one negative) see only the first when they are given
 * the tuple; the IC-VCO paper's DPO baselines train on both, which this class provides.
 */
public final class SymmetricPairs {
    private SymmetricPairs() {}

    /**
     * Every sample, each tuple without rejected answers followed by its {@link Sample#mirrored() mirror};
     * other samples pass unchanged.
     *
     * @throws IllegalArgumentException when a mirror's id {@code <id>/mirrored} is already taken
     */
    public static List<Sample> bothDirections(List<Sample> samples) {
        Set<String> ids = new HashSet<>();
        for (Sample sample : samples) ids.add(sample.id());
        List<Sample> out = new ArrayList<>();
        for (Sample sample : samples) {
            out.add(sample);
            if (sample.isContrastive() && sample.rejected().isEmpty()) {
                Sample mirror = sample.mirrored();
                if (!ids.add(mirror.id())) {
                    throw new IllegalArgumentException("sample '" + sample.id() + "': its mirror's id '" + mirror.id()
                            + "' is taken by another sample");
                }
                out.add(mirror);
            }
        }
        return out;
    }
}
