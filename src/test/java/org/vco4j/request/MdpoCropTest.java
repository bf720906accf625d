package org.vco4j.request;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.TestData;
import org.vco4j.data.seva.RandomResizedCrop;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdpoCropTest {
    @TempDir
    Path folder;

    @Test
    void boxesKeepOneToTwentyPercentAtTheAllowedRatios() {
        SplittableRandom random = new SplittableRandom(7);
        int width = 320;
        int height = 240;
        double smallest = 1;
        double largest = 0;
        for (int i = 0; i < 2000; i++) {
            MdpoCrop.Box box = MdpoCrop.box(width, height, random);
            assertTrue(box.left() >= 0 && box.top() >= 0 && box.left() + box.width() <= width
                    && box.top() + box.height() <= height, box.toString());
            double fraction = (double) box.width() * box.height() / (width * height);
            // Rounding each side to whole pixels moves the area by less than one row and one column.
            double slack = (box.width() + box.height() + 1.0) / (width * height);
            assertTrue(fraction >= MdpoCrop.MIN_SCALE - slack && fraction <= MdpoCrop.MAX_SCALE + slack, box + ": " + fraction);
            double ratio = (double) box.width() / box.height();
            assertTrue(ratio >= RandomResizedCrop.MIN_RATIO * (1 - 1.0 / box.height()) - 1e-9
                    && ratio <= RandomResizedCrop.MAX_RATIO * (1 + 1.0 / box.height()) + 1e-9, box + ": ratio " + ratio);
            smallest = Math.min(smallest, fraction);
            largest = Math.max(largest, fraction);
        }
        assertTrue(smallest < 0.02 && largest > 0.19, "the draws span the range: " + smallest + ".." + largest);
    }

    @Test
    void fallsBackToTorchvisionsCentreCrop() {
        // No 1-20 % window of a 1x1 image has both sides >= 1 pixel, so all ten attempts fail.
        assertEquals(new MdpoCrop.Box(0, 0, 1, 1), MdpoCrop.box(1, 1, new SplittableRandom(1)));
        // A 1-pixel-wide strip is narrower than ratio 3/4 allows: the centre crop is clamped to that ratio.
        assertEquals(new MdpoCrop.Box(0, 499, 1, 1), MdpoCrop.box(1, 1000, new SplittableRandom(1)));
        assertEquals(new MdpoCrop.Box(493, 0, 13, 10), MdpoCrop.box(1000, 10, new SplittableRandom(1)));
    }

    @Test
    void cropsAreDeterministicPerSeedAndSampleAndCached() throws IOException {
        Path m = TestData.png(folder.resolve("data/m.png"), 60, 40, 3);
        Sample a = Sample.preferencePair("a", m, "Q?", "yes", List.of("no"));
        Sample b = Sample.preferencePair("b", m, "Q?", "yes", List.of("no"));

        MdpoCrop crops = new MdpoCrop(folder.resolve("cache"), 11);
        Path cropA = crops.cropFor(a);
        RgbImage image = ImageLoader.load(cropA);
        assertEquals(60, image.width());
        assertEquals(40, image.height());
        assertEquals(MdpoCrop.crop(ImageLoader.load(m), crops.random("a")), image, "the PNG holds exactly the crop");

        RgbImage again = ImageLoader.load(new MdpoCrop(folder.resolve("other-cache"), 11).cropFor(a));
        assertEquals(image, again, "same seed and id, same crop");
        assertNotEquals(image, ImageLoader.load(crops.cropFor(b)), "another sample, another crop");
        assertNotEquals(image, ImageLoader.load(new MdpoCrop(folder.resolve("cache"), 12).cropFor(a)), "another seed");

        // A present file is reused, not redrawn.
        TestData.png(cropA, 60, 40, 99);
        RgbImage marker = ImageLoader.load(cropA);
        assertEquals(cropA, crops.cropFor(a));
        assertEquals(marker, ImageLoader.load(cropA));

        try (Stream<Path> files = Files.list(folder.resolve("cache"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(3, names.size(), names.toString());
            assertTrue(names.stream().allMatch(n -> n.endsWith(".png") && !n.startsWith(".")), "no temporary files: " + names);
        }
    }

    @Test
    void idsBecomeSafeFileNames() throws IOException {
        Path m = TestData.png(folder.resolve("m.png"), 8, 8, 3);
        Path crop = new MdpoCrop(folder.resolve("cache"), 0).cropFor(
                Sample.preferencePair("../../etc/x y", m, "Q?", "yes", List.of("no")));
        assertEquals(folder.resolve("cache"), crop.getParent());
        assertTrue(crop.getFileName().toString().startsWith(".._.._etc_x_y-"), crop.toString());
    }
}
