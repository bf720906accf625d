package org.vco4j.objective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The objectives by their command-line names; {@link #create} returns a fresh instance at the papers' defaults. */
public final class Objectives {
    private static final Map<String, Supplier<Objective>> FACTORIES = new LinkedHashMap<>();

    static {
        for (Supplier<Objective> factory : List.<Supplier<Objective>>of(Sft::new, Dpo::new, Mdpo::new, Visdpo::new,
                Vco::new, SVco::new, IcVco::new, Jompo::new, Seva::new, Symmpo::new)) {
            FACTORIES.put(factory.get().name(), factory);
        }
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
