package org.vco4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.request.Response;
import org.vco4j.request.SampleRoles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleTest {
    @TempDir
    Path folder;

    @Test
    void rolesMapToTexts() throws IOException {
        Sample tuple = TestData.tuple(folder, "t");
        assertEquals(Optional.of("The ball is red."), SampleRoles.text(tuple, Response.Y));
        assertEquals(Optional.of("The ball is blue."), SampleRoles.text(tuple, Response.Y_PRIME));
        assertEquals(Optional.of("The ball is blue."), SampleRoles.text(tuple, Response.REJECTED), "y' stands in for y_l");
        assertTrue(SampleRoles.readsContrastAsRejected(tuple, Response.REJECTED));
        assertEquals(Optional.empty(), SampleRoles.text(tuple, Response.rejected(2)));

        Sample pair = Sample.preferencePair("p", tuple.image(), "Q?", "yes", List.of("no", "maybe"));
        assertEquals(Optional.of("yes"), SampleRoles.text(pair, Response.Y));
        assertEquals(Optional.empty(), SampleRoles.text(pair, Response.Y_PRIME));
        assertEquals(Optional.of("no"), SampleRoles.text(pair, Response.REJECTED));
        assertEquals(Optional.of("maybe"), SampleRoles.text(pair, Response.rejected(2)));
        assertEquals(Optional.empty(), SampleRoles.text(pair, Response.rejected(3)));
        assertTrue(!SampleRoles.readsContrastAsRejected(pair, Response.REJECTED));

        Sample withRejected = new Sample("w", tuple.images(), "Q?", tuple.responses(), List.of("The ball is green."),
                List.of(), null, null, null);
        assertEquals(Optional.of("The ball is green."), SampleRoles.text(withRejected, Response.REJECTED),
                "an explicit rejected answer wins over y'");
    }

    @Test
    void masksFollowTheirResponses() throws IOException {
        List<Span> yMask = List.of(new Span(12, 15));
        List<Span> yPrimeMask = List.of(new Span(12, 16), new Span(0, 3));
        Sample tuple = TestData.tuple(folder, "t").withMasks(List.of(yMask, yPrimeMask));
        assertEquals(Optional.of(yMask), SampleRoles.mask(tuple, Response.Y));
        assertEquals(Optional.of(yPrimeMask), SampleRoles.mask(tuple, Response.Y_PRIME));
        assertEquals(Optional.of(yPrimeMask), SampleRoles.mask(tuple, Response.REJECTED), "y' read as y_l keeps its mask");
        assertEquals(Optional.empty(), SampleRoles.mask(TestData.tuple(folder, "u"), Response.Y));
    }

    @Test
    void mirrorSwapsTheRoles() throws IOException {
        Sample tuple = TestData.tuple(folder, "t").withMasks(List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16))));
        Sample mirror = tuple.mirrored();
        assertEquals("t/mirrored", mirror.id());
        assertEquals(List.of(tuple.images().get(1), tuple.images().get(0)), mirror.images());
        assertEquals(List.of("The ball is blue.", "The ball is red."), mirror.responses());
        assertEquals(List.of(tuple.masks().get(1), tuple.masks().get(0)), mirror.masks());
        Sample pair = Sample.preferencePair("p", tuple.image(), "Q?", "yes", List.of("no"));
        assertThrows(IllegalStateException.class, pair::mirrored);
    }

    @Test
    void bothDirectionsAddsEachTuplesMirror() throws IOException {
        Sample tuple = TestData.tuple(folder, "t");
        Sample pair = Sample.preferencePair("p", tuple.image(), "Q?", "yes", List.of("no"));
        List<Sample> both = SymmetricPairs.bothDirections(List.of(tuple, pair));
        assertEquals(List.of("t", "t/mirrored", "p"), both.stream().map(Sample::id).toList());
        Sample clash = Sample.preferencePair("t/mirrored", tuple.image(), "Q?", "yes", List.of("no"));
        String message = assertThrows(IllegalArgumentException.class,
                () -> SymmetricPairs.bothDirections(List.of(tuple, clash))).getMessage();
        assertTrue(message.contains("'t/mirrored' is taken"), message);
    }

    @Test
    void constructorChecksMasksInStringIndices() throws IOException {
        Sample tuple = TestData.tuple(folder, "t");
        String message = assertThrows(IllegalArgumentException.class,
                () -> tuple.withMasks(List.of(List.of(new Span(0, 17)), List.of(new Span(0, 1))))).getMessage();
        assertTrue(message.startsWith("field \"masks\"[0][0]: [0, 17] lies outside response 0"), message);
        Sample emoji = new Sample("e", tuple.images(), "Q?", List.of("\uD83D\uDC31 cat", "dog"), List.of(), List.of(),
                null, null, null);
        assertThrows(IllegalArgumentException.class, () -> emoji.withMasks(List.of(List.of(new Span(1, 3)), List.of(new Span(0, 1)))),
                "a span must not split a surrogate pair");
        assertThrows(IllegalArgumentException.class, () -> new Span(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Span(-1, 2));
    }

    @Test
    void preferencePairNeedsARejectedAnswer() throws IOException {
        Path m = TestData.png(folder.resolve("m.png"), 2, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> Sample.preferencePair("p", m, "Q?", "yes", List.of()));
    }
}
