package org.vco4j.model.encoder;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PretrainedImageEncoderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"clip", "clip_vision_model", "siglip", "siglip_vision_model", "dinov2"})
    void tinyFolderLoadsAndEmbeds(String modelType) throws Exception {
        Path folder = dir.resolve(modelType);
        PretrainedImageEncoder.writeTiny(modelType, folder, false, 1);
        try (PointerScope scope = new PointerScope();
             PretrainedImageEncoder encoder = PretrainedImageEncoder.load(folder, ParameterFactory.cpuFloat32())) {
            float[][] e = encoder.embed(List.of(EncoderImages.gradient(30, 20, 0), EncoderImages.gradient(20, 30, 1)));
            System.out.println(modelType + " " + java.util.Arrays.toString(e[0]) + " " + java.util.Arrays.toString(e[1]));
        }
    }
}
