package org.vco4j.data.imports;

import org.vco4j.data.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * What a dataset reader makes of one record, in vco4j's sample roles before its images are placed: images
 * {@code [m]} or {@code [m, m']}, the prompt {@code x}, responses {@code [y]} or {@code [y, y']}, rejected
 * answers {@code y_l, ...} for {@code m}, token masks over {@code y} and {@code y'} (string indices) and the
 * contrast type.
 *
 * @param notes what the import could not carry over from this record (e.g. a system prompt), for the summary
 */
public record ImportedRecord(List<ImageSource> images, String prompt, List<String> responses, List<String> rejected,
                             List<List<Span>> masks, String contrast, List<String> notes) {
    /** A preference pair {@code (m, x, y ≻ y_l)}. */
    public static ImportedRecord pair(ImageSource image, String prompt, String chosen, String rejected) {
        return new ImportedRecord(List.of(image), prompt, List.of(chosen), List.of(rejected), List.of(), null, List.of());
    }

    /** A contrastive tuple {@code (m, m', x, y, y')}: {@code y} is true of {@code m}, {@code y'} of {@code m'}. */
    public static ImportedRecord tuple(ImageSource image, ImageSource contrastImage, String prompt, String y, String yPrime) {
        return new ImportedRecord(List.of(image, contrastImage), prompt, List.of(y, yPrime), List.of(), List.of(), null, List.of());
    }

    public ImportedRecord withMasks(List<List<Span>> responseMasks) {
        return new ImportedRecord(images, prompt, responses, rejected, responseMasks, contrast, notes);
    }

    public ImportedRecord withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(note);
        return new ImportedRecord(images, prompt, responses, rejected, masks, contrast, List.copyOf(more));
    }
}
