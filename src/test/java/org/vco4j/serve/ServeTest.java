package org.vco4j.serve;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.lora.LoraConfig;
import org.vco4j.model.lora.LoraTesting;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ServeTest {

    @Test
    void theAdapterIsMergedIntoTheServedModel(@TempDir Path dir) throws Exception {
        Path adapter = dir.resolve("adapter");
        Context condition = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        GenerationConfig greedy = GenerationConfig.greedy(10);
        String base;
        String adapted;
        try (PointerScope scope = new PointerScope();
             PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             LoraAdapters adapters = LoraAdapters.attach(vlm.model().module(), LoraConfig.of(4, 8, 0.0), 3)) {
            LoraTesting.randomizeB(adapters, 5);
            adapters.save(adapter, TinyWorld.checkpoint().toString());
            Generator generator = new Generator(vlm.model(), vlm.processor());
            adapted = generator.generate(condition, greedy).text();
            adapters.setEnabled(false);
            base = generator.generate(condition, greedy).text();
        }
        assertNotEquals(base, adapted, "the adapter should change the answer");
        try (PointerScope scope = new PointerScope();
             PretrainedVlm served = Serve.load(TinyWorld.checkpoint(), adapter, ParameterFactory.cpuFloat32())) {
            assertEquals(adapted, new Generator(served.model(), served.processor()).generate(condition, greedy).text());
        }
    }

    @Test
    void theCommandLineSaysWhatIsWrongInOneLine() throws Exception {
        Cli.Run badBatch = Cli.vco("serve", "--model", TinyWorld.checkpoint().toString(), "--max-batch", "0");
        assertEquals(2, badBatch.exitCode());
        assertEquals("error: --max-batch must be ≥ 1, got 0", badBatch.err().strip());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run busy = Cli.vco("serve", "--model", TinyWorld.checkpoint().toString(), "--port", "" + taken.getLocalPort());
            assertEquals(2, busy.exitCode(), busy.err());
            assertTrue(busy.err().startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy.err());
            assertEquals(1, busy.err().strip().lines().count(), busy.err());
        }
    }

    @Test
    void settingsAreCheckedBeforeAnythingLoads(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> ServeSettings.of("127.0.0.1", 70000, null, null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ServeSettings.of("127.0.0.1", 0, null, null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ServeSettings.of("127.0.0.1", 0, null, null, 1, 0));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ServeSettings.of("127.0.0.1", 0, dir.resolve("nope"), null, 1, 1));
        assertTrue(missing.getMessage().startsWith("--image-root"), missing.getMessage());
        assertNull(ServeSettings.of("127.0.0.1", 0, null, " ", 1, 1).apiKey(), "a blank key is no key");
        assertEquals(dir.toAbsolutePath(), ServeSettings.of("127.0.0.1", 0, dir, null, 1, 1).imageRoot());
    }
}
