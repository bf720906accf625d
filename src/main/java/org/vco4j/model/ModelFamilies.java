package org.vco4j.model;

import org.vco4j.model.llava.LlavaFamily;

import java.util.List;

/** The families this build knows, looked up by {@code model_type} or by family name. */
public final class ModelFamilies {
    private static final List<ModelFamily> FAMILIES = List.of(new LlavaFamily());

    private ModelFamilies() {}

    /** Every known family. */
    public static List<ModelFamily> all() {
        return FAMILIES;
    }

    public static ModelFamily forModelType(String modelType, String where) {
        for (ModelFamily family : FAMILIES) if (family.modelTypes().contains(modelType)) return family;
        throw new ModelLoadException(where + ": unknown model_type '" + modelType + "' (supported: "
                + FAMILIES.stream().flatMap(f -> f.modelTypes().stream()).toList() + ")");
    }

    public static ModelFamily named(String name) {
        for (ModelFamily family : FAMILIES) if (family.name().equals(name)) return family;
        throw new IllegalArgumentException("--family " + name + ": unknown family (known: "
                + FAMILIES.stream().map(ModelFamily::name).toList() + ")");
    }
}
