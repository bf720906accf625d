package org.vco4j.model.tokenizer;

import java.util.Map;
import java.util.Properties;

/**
 * The settings DJL reads before its tokenizer library first loads, so that it never goes to the network:
 * <ul>
 *   <li>{@code ai.djl.offline=true}: no EC2 telemetry probe on each tokenizer creation, and the
 *       native library flavour is CPU without probing for CUDA builds to download;</li>
 *   <li>{@code RUST_FLAVOR=cpu}: the CPU library bundled in the tokenizers jar is used even when
 *       offline mode was switched off, so it is never downloaded;</li>
 *   <li>{@code OPT_OUT_TRACKING=true}: no telemetry even when offline mode was switched off.</li>
 * </ul>
 * Each is set as a system property only when neither the property nor the environment variable
 * DJL also consults gives a value, so a user's explicit choice stands.
 */
final class DjlDefaults {
    private DjlDefaults() {}

    private static boolean applied;

    /** Applies the defaults to the JVM's system properties once. */
    static synchronized void ensureApplied() {
        if (!applied) {
            apply(System.getenv(), System.getProperties());
            applied = true;
        }
    }

    static void apply(Map<String, String> env, Properties props) {
        setIfUnset(env, props, "DJL_OFFLINE", "ai.djl.offline", "true");
        setIfUnset(env, props, "RUST_FLAVOR", "RUST_FLAVOR", "cpu");
        setIfUnset(env, props, "OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
    }

    private static void setIfUnset(Map<String, String> env, Properties props, String envName, String property, String value) {
        if (env.get(envName) == null && props.getProperty(property) == null) {
            props.setProperty(property, value);
        }
    }
}
