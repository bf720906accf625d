package org.vco4j.model;

import org.vco4j.model.image.ImageDimensions;
import org.junit.jupiter.api.Test;
import org.vco4j.model.llava.LlavaFamily;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.lora.TargetModules;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.testing.TinyWorld;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ModelFamiliesTest {

    @Test
    void familiesAreFoundThroughTheirServiceRegistration() {
        assertInstanceOf(LlavaFamily.class, ModelFamilies.forModelType("llava", "config.json"));
        assertInstanceOf(LlavaFamily.class, ModelFamilies.named("llava"));
        assertEquals("llava-onevision", ModelFamilies.forModelType("llava_onevision", "config.json").name());
        assertEquals("qwen2-vl", ModelFamilies.forModelType("qwen2_vl", "config.json").name());
        assertEquals(List.of("llava", "llava-onevision", "qwen2-vl"), ModelFamilies.all().stream().map(ModelFamily::name).toList());
    }

    @Test
    void unknownNamesListTheKnownOnesAndNameTheSetting() {
        ModelLoadException type = assertThrows(ModelLoadException.class, () -> ModelFamilies.forModelType("mamba", "m/config.json"));
        assertEquals("m/config.json: unknown model_type 'mamba' (supported: [llava, llava_onevision, qwen2_vl])", type.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> ModelFamilies.named("qwen"));
        assertEquals("family 'qwen': unknown family (known: [llava, llava-interleave, llava-onevision, qwen2-vl])", name.getMessage());
    }

    @Test
    void llavaSplitsItsWeightsIntoTowerProjectorAndLanguageModel() {
        ModelFamily llava = ModelFamilies.named("llava");
        try (LlavaForConditionalGeneration model = LlavaModelTest.tinyModel(1)) {
            int tower = 0, projector = 0;
            for (String name : model.namedParameters().keySet()) {
                boolean inTower = llava.isVisionTower(name), inProjector = llava.isProjector(name);
                assertFalse(inTower && inProjector, name);
                assertEquals(name.startsWith("model.vision_tower."), inTower, name);
                assertEquals(name.startsWith("model.multi_modal_projector."), inProjector, name);
                if (inTower) tower++;
                if (inProjector) projector++;
            }
            assertTrue(tower > 0);
            assertEquals(4, projector, "linear_1 and linear_2, weight and bias");
        }
    }

    @Test
    void llavaLoraDefaultsAreTheLanguageModelProjections() {
        ModelFamily llava = ModelFamilies.named("llava");
        TargetModules targets = new TargetModules.Names(llava.defaultLoraTargets(), llava.loraScope());
        assertEquals(TargetModules.defaults(), targets);
        assertEquals("(.*\\.)?(language_model)\\.(.*\\.)?(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)", targets.pattern());
    }

    @Test
    void llavaProcessorExpandsEachImageToItsFeatureSlots() {
        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32())) {
            LlavaForConditionalGeneration model = (LlavaForConditionalGeneration) vlm.model();
            assertEquals(model.config().featuresPerImage(), vlm.processor().slots(List.of(new ImageDimensions(480, 640)))[0]);
        }
    }
}
