package org.vco4j.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.Scenes;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ContrastRenderingTest {
    @Test
    void paletteIsReadOffTheWorldsImages(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        WorldPalette palette = WorldPalette.estimate(world, Scenes.read(world));
        assertEquals(TestWorld.PALETTE.keySet().size(), palette.colors().size());
        TestWorld.PALETTE.forEach((color, rgb) ->
                assertArrayEquals(new int[] {rgb.getRed(), rgb.getGreen(), rgb.getBlue()}, palette.rgb(color).orElseThrow(), color));
    }

    @Test
    void recolouringChangesOneObjectOnly(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        List<Scene> scenes = Scenes.read(world);
        Scene e1 = scenes.stream().filter(s -> s.id().equals("e1")).findFirst().orElseThrow();
        BufferedImage original = ImageIO.read(world.resolve(e1.image()).toFile());
        ContrastRenderer renderer = new ContrastRenderer(WorldPalette.estimate(world, scenes));

        BufferedImage red = renderer.recolor(original, e1, 0, "red").orElseThrow();
        // Exactly what drawing the scene with a red circle gives, up to anti-aliased rim pixels.
        Scene redScene = TestWorld.scene("e1", "eval", TestWorld.object("circle", "red", "small", 8, 10), e1.objects().get(1));
        BufferedImage expected = TestWorld.draw(redScene);
        int different = 0;
        for (int y = 0; y < TestWorld.SIZE; y++) {
            for (int x = 0; x < TestWorld.SIZE; x++) {
                int[] a = WorldPalette.unpack(red.getRGB(x, y));
                int[] b = WorldPalette.unpack(expected.getRGB(x, y));
                int distance = Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
                if (distance > 40) different++;
                // The blue square and the background stay as they were.
                if (x >= 16) assertEquals(original.getRGB(x, y), red.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        assertEquals(0, different, "pixels far from a freshly drawn red circle");
        assertTrue(renderer.recolor(original, e1, 0, "no-such-colour").isEmpty());
    }

    @Test
    void mirroringFlipsLeftAndRight() {
        Scene e1 = TestWorld.scenes().get(4);
        BufferedImage image = TestWorld.draw(e1);
        BufferedImage mirrored = ContrastRenderer.mirror(image);
        for (int y = 0; y < TestWorld.SIZE; y++) {
            for (int x = 0; x < TestWorld.SIZE; x++) assertEquals(image.getRGB(x, y), mirrored.getRGB(TestWorld.SIZE - 1 - x, y));
        }
    }

    @Test
    void renderedPairsAreWrittenAsAContrastFileAndReadBack(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        List<Scene> scenes = Scenes.read(world);
        List<Scene> eval = scenes.stream().filter(s -> s.split().equals("eval")).toList();
        List<MmvpPair> pairs = MmvpPairs.render(world, eval, WorldStatistics.of(scenes), WorldPalette.estimate(world, scenes),
                dir.resolve("pairs"), 0, 0);
        // Every eval scene has a shape it shows once and an object clear of the midline: a colour and a position pair each.
        assertEquals(2 * eval.size(), pairs.size());
        // A counterpart takes its shape's training colour whenever the object has another: one image for the prior, one against.
        WorldStatistics statistics = WorldStatistics.of(scenes);
        int againstPrior = 0;
        for (long seed = 0; seed < 4; seed++) {
            for (MmvpPair pair : MmvpPairs.render(world, eval, statistics, WorldPalette.estimate(world, scenes), dir.resolve("s" + seed), seed, 0)) {
                if (!pair.kind().equals("color")) continue;
                String typical = statistics.typicalColor(pair.question().replaceAll(".* the (\\w+)\\?", "$1"));
                if (!pair.answers().get(0).equals(typical)) {
                    assertEquals(typical, pair.answers().get(1), pair.id());
                    againstPrior++;
                }
            }
        }
        assertTrue(againstPrior > 0);
        for (MmvpPair pair : pairs) {
            assertTrue(Files.isRegularFile(pair.images().get(0)) && Files.isRegularFile(pair.images().get(1)), pair.id());
            assertNotEquals(pair.answers().get(0), pair.answers().get(1));
        }
        List<MmvpPair> read = MmvpPairs.read(dir.resolve("pairs").resolve(MmvpPairs.FILE_NAME), 0);
        assertEquals(pairs.stream().map(MmvpPair::question).toList(), read.stream().map(MmvpPair::question).toList());
        assertEquals(pairs.stream().map(MmvpPair::answers).toList(), read.stream().map(MmvpPair::answers).toList());
        assertEquals(pairs.get(0).images(), read.get(0).images());
        assertEquals(3, MmvpPairs.read(dir.resolve("pairs").resolve(MmvpPairs.FILE_NAME), 3).size());
        assertEquals(3, MmvpPairs.render(world, eval, WorldStatistics.of(scenes), WorldPalette.estimate(world, scenes),
                dir.resolve("limited"), 0, 3).size());
    }
}
