package org.vco4j.request;

import org.vco4j.data.Sample;
import org.vco4j.data.Span;

import java.util.List;
import java.util.Optional;

/**
 * Which text of a {@link Sample} plays a {@link Response} role: {@code y} is the first response (a pair's
 * chosen answer), {@code y'} the second, {@code y_lk} the k-th rejected answer.
 */
public final class SampleRoles {
    private SampleRoles() {}

    /**
     * The text playing the role {@code which}: {@code y}, {@code y'} or the k-th rejected answer. A tuple
     * without rejected answers reads its {@code y'} as the first rejected answer {@code y_l} (the preference
     * {@code y ≻ y'} under {@code m}); any other missing role is empty.
     */
    public static Optional<String> text(Sample sample, Response which) {
        return switch (which.kind()) {
            case Y -> Optional.of(sample.responses().get(0));
            case Y_PRIME -> sample.responses().size() > 1 ? Optional.of(sample.responses().get(1)) : Optional.empty();
            case REJECTED -> {
                if (which.index() <= sample.rejected().size()) yield Optional.of(sample.rejected().get(which.index() - 1));
                yield readsContrastAsRejected(sample, which) ? Optional.of(sample.responses().get(1)) : Optional.empty();
            }
        };
    }

    /** True when {@code which} is {@code y_l} and this sample supplies it by its {@code y'} (see {@link #text}). */
    public static boolean readsContrastAsRejected(Sample sample, Response which) {
        return which.kind() == Response.Kind.REJECTED && which.index() == 1 && sample.rejected().isEmpty() && sample.responses().size() > 1;
    }

    /**
     * The token mask of the text playing the role {@code which}, empty when the sample has no masks or the
     * role is an explicit rejected answer (masks cover {@code y} and {@code y'} only).
     */
    public static Optional<List<Span>> mask(Sample sample, Response which) {
        if (sample.masks().isEmpty()) return Optional.empty();
        return switch (which.kind()) {
            case Y -> Optional.of(sample.masks().get(0));
            case Y_PRIME -> sample.masks().size() > 1 ? Optional.of(sample.masks().get(1)) : Optional.empty();
            case REJECTED -> readsContrastAsRejected(sample, which) ? Optional.of(sample.masks().get(1)) : Optional.empty();
        };
    }
}
