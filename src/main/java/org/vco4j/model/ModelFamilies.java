package org.vco4j.model;

import java.util.List;
import java.util.ServiceLoader;

/**
 * The families this build knows, looked up by {@code model_type} or by family name. Families register
 * themselves in {@code META-INF/services/org.vco4j.model.ModelFamily} (one class name a line), so this
 * registry names none of them.
 */
public final class ModelFamilies {
    private static final List<ModelFamily> FAMILIES =
            ServiceLoader.load(ModelFamily.class, ModelFamily.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    private ModelFamilies() {}

    /** Every known family, in registration order. */
    public static List<ModelFamily> all() {
        if (FAMILIES.isEmpty()) {
            throw new IllegalStateException("no model family is registered: META-INF/services/" + ModelFamily.class.getName()
                    + " is missing from the classpath");
        }
        return FAMILIES;
    }

    public static ModelFamily forModelType(String modelType, String where) {
        for (ModelFamily family : all()) if (family.modelTypes().contains(modelType)) return family;
        throw new ModelLoadException(where + ": unknown model_type '" + modelType + "' (supported: "
                + FAMILIES.stream().flatMap(f -> f.modelTypes().stream()).toList() + ")");
    }

    /** The family with this name, or covering the model of this name ({@link ModelFamily#tinyModels}). */
    public static ModelFamily named(String name) {
        for (ModelFamily family : all()) if (family.name().equals(name) || family.tinyModels().containsKey(name)) return family;
        throw new IllegalArgumentException("family '" + name + "': unknown family (known: "
                + FAMILIES.stream().flatMap(f -> java.util.stream.Stream.concat(java.util.stream.Stream.of(f.name()),
                        f.tinyModels().keySet().stream())).distinct().sorted().toList() + ")");
    }
}
