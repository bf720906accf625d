package org.vco4j.model.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.*;

class DjlDefaultsTest {
    @Test
    void setsOfflineCpuAndNoTrackingWhenNothingIsConfigured() {
        Properties props = new Properties();
        DjlDefaults.apply(Map.of(), props);
        assertEquals("true", props.getProperty("ai.djl.offline"));
        assertEquals("cpu", props.getProperty("RUST_FLAVOR"));
        assertEquals("true", props.getProperty("OPT_OUT_TRACKING"));
    }

    @Test
    void leavesExplicitChoicesAlone() {
        Properties props = new Properties();
        props.setProperty("ai.djl.offline", "false");
        DjlDefaults.apply(Map.of("RUST_FLAVOR", "cu124", "OPT_OUT_TRACKING", "false"), props);
        assertEquals("false", props.getProperty("ai.djl.offline"));
        assertNull(props.getProperty("RUST_FLAVOR"));
        assertNull(props.getProperty("OPT_OUT_TRACKING"));
        Properties env = new Properties();
        DjlDefaults.apply(Map.of("DJL_OFFLINE", "false"), env);
        assertNull(env.getProperty("ai.djl.offline"));
    }
}
