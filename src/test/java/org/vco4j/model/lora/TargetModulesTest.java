package org.vco4j.model.lora;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TargetModulesTest {

    @Test
    void llavaDefaultsAreTheLanguageModelProjections() {
        TargetModules targets = TargetModules.defaults();
        assertEquals("(.*\\.)?(language_model)\\.(.*\\.)?(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)", targets.pattern());
        assertTrue(targets.matches("model.language_model.layers.31.mlp.down_proj"));
        assertTrue(targets.matches("language_model.model.layers.0.self_attn.v_proj"));
        assertFalse(targets.matches("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj"));
        assertFalse(targets.matches("model.multi_modal_projector.linear_1"));
        assertFalse(targets.matches("lm_head"));
        // Whole names only: neither a longer scope nor a longer layer name matches.
        assertFalse(targets.matches("model.language_model_2.layers.0.self_attn.q_proj"));
        assertFalse(targets.matches("model.language_model.layers.0.self_attn.q_proj_extra"));
        assertFalse(targets.matches("model.language_model.layers.0.self_attn.q_proj.lora_A"));
    }

    @Test
    void withoutScopeANameMatchesAnywhereAsPeftListsDo() {
        TargetModules targets = TargetModules.fromList(List.of("q_proj", "self_attn.o_proj"));
        assertEquals("(.*\\.)?(q_proj|self_attn\\.o_proj)", targets.pattern());
        assertTrue(targets.matches("q_proj"));
        assertTrue(targets.matches("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj"));
        assertTrue(targets.matches("model.language_model.layers.0.self_attn.o_proj"));
        assertFalse(targets.matches("model.language_model.layers.0.mlp.o_proj"));
        assertFalse(targets.matches("model.language_model.layers.0.self_attnXo_proj"), "dots are literal");
    }

    @Test
    void writtenPatternsReadBackAsNamesAndOthersStayRegexes() {
        TargetModules scoped = new TargetModules.Names(List.of("q_proj", "v_proj"), List.of("language_model", "model.vision_tower"));
        assertEquals(scoped, TargetModules.fromPattern(scoped.pattern()));
        TargetModules anywhere = new TargetModules.Names(List.of("fc1"), List.of());
        assertEquals(anywhere, TargetModules.fromPattern(anywhere.pattern()));

        TargetModules foreign = TargetModules.fromPattern(".*language_model.*\\.(q_proj|v_proj)");
        assertInstanceOf(TargetModules.Regex.class, foreign);
        assertEquals(".*language_model.*\\.(q_proj|v_proj)", foreign.pattern());
        assertTrue(foreign.matches("model.language_model.layers.0.self_attn.v_proj"));
        assertFalse(foreign.matches("model.language_model.layers.0.self_attn.v_proj.x"), "the whole path must match");
        assertInstanceOf(TargetModules.Regex.class, TargetModules.fromPattern("(.*\\.)?(q_proj|v.*)"));
    }

    @Test
    void badNamesAndPatternsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TargetModules.Names(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TargetModules.Names(List.of("q_proj|.*"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TargetModules.Names(List.of("q_proj"), List.of("model.")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TargetModules.Regex("(q_proj"));
        assertTrue(e.getMessage().contains("(q_proj"), e.getMessage());
    }
}
