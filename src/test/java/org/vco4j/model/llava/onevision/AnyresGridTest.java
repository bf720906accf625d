package org.vco4j.model.llava.onevision;

import org.junit.jupiter.api.Test;
import org.vco4j.model.image.ImageDimensions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The anyres arithmetic against values worked out by hand from transformers' formulas ({@code select_best_resolution},
 * {@code get_patch_output_size}, {@code LlavaOnevisionProcessor._get_unpadded_features}, {@code unpad_image}).
 */
class AnyresGridTest {
    /** llava-onevision-qwen2-0.5b-ov-hf: 384-pixel tiles of 27×27 = 729 tokens, the 36 pinpoints, anyres_max_9. */
    static final AnyresGrid REAL = new LlavaOnevisionConfig().anyresGrid();
    /** The tiny checkpoint: 56-pixel tiles of 4×4 = 16 tokens, pinpoints {56..224}², anyres_max_9. */
    static final AnyresGrid TINY = LlavaOnevisionFamily.tiny(100, 3, 4, 0, 2).anyresGrid();

    static ImageDimensions hw(int height, int width) {
        return new ImageDimensions(height, width);
    }

    @Test
    void realPinpointsAreTransformersDefaults() {
        assertEquals(36, REAL.pinpoints().size());
        assertEquals(hw(384, 384), REAL.pinpoints().get(0));
        assertEquals(hw(384, 768), REAL.pinpoints().get(1), "[height, width], height-major");
        assertEquals(hw(2304, 2304), REAL.pinpoints().get(35));
        assertEquals(384, REAL.tileSize());
        assertEquals(27, REAL.tokensPerSide());
        assertEquals(9, REAL.maxNumPatches());
        assertEquals(729, REAL.tileFeatures());
    }

    @Test
    void a640x480ImageTakes2929Tokens() {
        // (h, w) = (480, 640). A pinpoint keeps all 307200 pixels only if it is at least 480 high and 640 wide:
        // the smallest such is 768×768 (waste 589824 - 307200 = 282624); 384×768 keeps only 512×384 = 196608.
        assertEquals(hw(768, 768), REAL.bestResolution(hw(480, 640)));
        // Resized inside 768×768: scale_w = 1.2 < scale_h = 1.6, so width 768, height min(ceil(480 · 1.2), 768) = 576.
        assertEquals(hw(576, 768), AnyresGrid.patchOutputSize(hw(480, 640), hw(768, 768)));
        // Features: a 2×2 grid of 27 = 54×54 map. 640/480 = 1.33 > 54/54, so rows are cut:
        // new_height = int(round(480 · 54/640, 7)) = int(40.5) = 40, padding (54 - 40) // 2 = 7, 40 rows kept.
        // ratio = sqrt(40·54 / (9·729)) = 0.574 ≤ 1.1: no downsizing. 729 + 40·54 + 40 newlines = 2929.
        AnyresGrid.Layout layout = REAL.layout(hw(480, 640));
        assertEquals(new AnyresGrid.Layout(2, 2, 7, 40, 0, 54, 40, 54), layout);
        assertFalse(layout.downsized());
        assertEquals(2929, REAL.tiledFeatures(hw(480, 640)));
    }

    @Test
    void a1920x1080ImageIsDownsizedTo7269Tokens() {
        // (h, w) = (1080, 1920): pinpoints keeping all pixels are ≥ 1080 high and ≥ 1920 wide; the smallest is
        // 1152×1920 (waste 2211840 - 2073600 = 138240). Grid 3×5 = 81×135 features.
        assertEquals(hw(1152, 1920), REAL.bestResolution(hw(1080, 1920)));
        // 1920/1080 = 1.78 > 135/81 = 1.67: new_height = int(round(1080 · 135/1920, 7)) = int(75.9375) = 75,
        // padding (81 - 75) // 2 = 3, 75 rows kept. ratio = sqrt(75·135 / 6561) = 1.2423 > 1.1, so the map is
        // downsized to (int(75 // 1.2423), int(135 // 1.2423)) = (60, 108): 729 + 60·108 + 60 = 7269.
        assertEquals(new AnyresGrid.Layout(3, 5, 3, 75, 0, 135, 60, 108), REAL.layout(hw(1080, 1920)));
        assertEquals(7269, REAL.tiledFeatures(hw(1080, 1920)));
    }

    @Test
    void otherRealSizes() {
        // 384×384: pinpoint 384×384, one tile, 27×27 kept: 729 + 27·28 = 1485 (a 10×10 image alike).
        assertEquals(1485, REAL.tiledFeatures(hw(384, 384)));
        assertEquals(1485, REAL.tiledFeatures(hw(10, 10)));
        // Tall 200×1000 (w×h): 1152×384 pinpoint, 81×27 map; 0.2 < 27/81, so columns are cut:
        // new_width = int(round(200 · 81/1000, 7)) = 16, padding (27 - 16) // 2 = 5, 17 columns: 729 + 81·18 = 2187.
        assertEquals(new AnyresGrid.Layout(3, 1, 0, 81, 5, 17, 81, 17), REAL.layout(hw(1000, 200)));
        assertEquals(2187, REAL.tiledFeatures(hw(1000, 200)));
        // The radar chart of transformers' conversion script, (h, w) = (899, 1024): 1152×1152, 81×81 map;
        // new_height = int(round(899 · 81/1024, 7)) = int(71.11) = 71, padding 5, 71 rows: 729 + 71·82 = 6551.
        assertEquals(6551, REAL.tiledFeatures(hw(899, 1024)));
        // Every image of a multi-image prompt: 729 + 1 newline.
        assertEquals(730, REAL.untiledFeatures());
    }

    @Test
    void tinySizes() {
        // 48×40 (w×h): pinpoint 56×56, 4×4 map; 48/40 > 1: new_height = int(round(40 · 4/48, 7)) = 3, padding 0.
        assertEquals(16 + 4 * 5, TINY.tiledFeatures(hw(40, 48)));
        // Tall 40×200: 224×56 pinpoint (4×1 tiles), 16×4 map; 0.2 < 0.25: new_width = int(3.2) = 3, padding 0: 16 + 16·5.
        assertEquals(new AnyresGrid.Layout(4, 1, 0, 16, 0, 4, 16, 4), TINY.layout(hw(200, 40)));
        assertEquals(96, TINY.tiledFeatures(hw(200, 40)));
        // Wide 300×60: 56×224 (1×4), 4×16 map; 5 > 4: new_height = int(3.2) = 3, padding 0: 16 + 4·17.
        assertEquals(84, TINY.tiledFeatures(hw(60, 300)));
        // Huge 1000×900: 224×224 (4×4), 16×16 map; 1000/900 > 1: new_height = int(round(900 · 16/1000, 7)) = 14,
        // padding 1, 14 rows. ratio = sqrt(14·16 / 144) = 1.2472 > 1.1: (int(14 // 1.2472), int(16 // 1.2472)) = (11, 12).
        AnyresGrid.Layout huge = TINY.layout(hw(900, 1000));
        assertEquals(new AnyresGrid.Layout(4, 4, 1, 14, 0, 16, 11, 12), huge);
        assertTrue(huge.downsized());
        assertEquals(16 + 11 * 13, TINY.tiledFeatures(hw(900, 1000)));
        // 224×224 fills the 4×4 grid: 16×16 kept, ratio 4/3: (int(16 // 1.333), ...) = (12, 12): 16 + 12·13 = 172.
        assertEquals(172, TINY.tiledFeatures(hw(224, 224)));
        assertEquals(17, TINY.untiledFeatures());
    }

    @Test
    void anImageTooThinForEveryPinpointGetsTheSmallest() {
        // 1×100000 (w×h): every fit has int(1 · scale) = 0 columns, effective 0 everywhere, so the least waste wins:
        // 384×384. Its 27×27 map keeps int(round(1 · 27/100000, 7)) = 0 columns, padding (27 - 0) // 2 = 13, so 1
        // column survives: 729 + 27 · 2 = 783.
        assertEquals(hw(384, 384), REAL.bestResolution(hw(100000, 1)));
        assertEquals(783, REAL.tiledFeatures(hw(100000, 1)));
        assertEquals(hw(384, 1), AnyresGrid.patchOutputSize(hw(100000, 1), hw(384, 384)));
    }

    @Test
    void pythonRounding() {
        // Python: 1 // 0.1 == 9.0 (floor(1 / 0.1) would be 10), 7 // 2.0 == 3.0, 75 // 1.2422599874998832 == 60.0.
        assertEquals(9.0, AnyresGrid.pythonFloorDivide(1, 0.1));
        assertEquals(3.0, AnyresGrid.pythonFloorDivide(7, 2.0));
        assertEquals(60.0, AnyresGrid.pythonFloorDivide(75, 1.2422599874998832));
        // int(round(x, 7)): 26.999999999999996 → 27 (int() alone gives 26); 40.5 → 40; 75.9375 → 75.
        assertEquals(27, AnyresGrid.roundTo7Digits(26.999999999999996));
        assertEquals(40, AnyresGrid.roundTo7Digits(40.5));
        assertEquals(75, AnyresGrid.roundTo7Digits(75.9375));
        assertEquals(4, AnyresGrid.roundTo7Digits(3.99999999), "rounded at the 7th decimal first");
        assertEquals(3, AnyresGrid.roundTo7Digits(3.9999));
    }

    @Test
    void patchOutputSizeCapsAndCeils() {
        // 81 wide into 112×56 (h=56, w=112): scale_w = 112/81 = 1.38 > scale_h = 56/56 = 1, so height 56 and
        // width min(ceil(81 · 1), 112) = 81.
        assertEquals(hw(56, 81), AnyresGrid.patchOutputSize(hw(56, 81), hw(56, 112)));
        // 100×30 (w×h) into 56×112: scale_w = 1.12 < scale_h = 1.87: width 112, height ceil(30 · 1.12) = ceil(33.6) = 34.
        assertEquals(hw(34, 112), AnyresGrid.patchOutputSize(hw(30, 100), hw(56, 112)));
    }
}
