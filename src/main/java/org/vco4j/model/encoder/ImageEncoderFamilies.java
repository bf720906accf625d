package org.vco4j.model.encoder;

import org.vco4j.model.ModelLoadException;

import java.util.List;
import java.util.ServiceLoader;

/** The image encoders this build knows, looked up by {@code model_type}; registered through {@link ServiceLoader}. */
public final class ImageEncoderFamilies {
    private static final List<ImageEncoderFamily> FAMILIES = ServiceLoader.load(ImageEncoderFamily.class,
            ImageEncoderFamily.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private ImageEncoderFamilies() {}

    /** Every {@code model_type} an encoder can be loaded from, in registration order. */
    public static List<String> modelTypes() {
        return FAMILIES.stream().flatMap(f -> f.modelTypes().stream()).toList();
    }

    /** The family reading {@code modelType}; {@code where} names the file for the error. */
    public static ImageEncoderFamily forModelType(String modelType, String where) {
        for (ImageEncoderFamily family : FAMILIES) if (family.modelTypes().contains(modelType)) return family;
        throw new ModelLoadException(where + ": model_type '" + modelType + "' is not an image encoder (supported: "
                + modelTypes() + ")");
    }
}
