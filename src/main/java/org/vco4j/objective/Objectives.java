package org.vco4j.objective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The objectives by their command-line names; {@link #create} returns a fresh instance at the papers' defaults. */
public final class Objectives {
    private static final Map<String, Supplier<Objective>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("sft", Sft::new);
        FACTORIES.put("dpo", Dpo::new);
        FACTORIES.put("mdpo", Mdpo::new);
        FACTORIES.put("visdpo", Visdpo::new);
        FACTORIES.put("vco", Vco::new);
        FACTORIES.put("s-vco", SVco::new);
        FACTORIES.put("ic-vco", IcVco::new);
        FACTORIES.put("jompo", Jompo::new);
        FACTORIES.put("seva", Seva::new);
        FACTORIES.put("symmpo", Symmpo::new);
    }

    private Objectives() {}

    /** Every name, in the order of the listing. */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /** A new objective named {@code name} with default hyper-parameters. */
    public static Objective create(String name) {
        Supplier<Objective> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(
                    "unknown objective '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.get();
    }
}
