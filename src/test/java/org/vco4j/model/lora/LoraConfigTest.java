package org.vco4j.model.lora;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LoraConfigTest {

    @Test
    void configChecksItsValuesAndScales() {
        LoraConfig config = LoraConfig.of(8, 16, 0.05);
        assertEquals(2.0, config.scaling());
        assertEquals(TargetModules.defaults(), config.targetModules());
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(0, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(8, Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(8, 16, 1.0));
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(8, 16, -0.1));
    }
}
