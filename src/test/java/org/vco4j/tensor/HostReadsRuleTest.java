package org.vco4j.tensor;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Values are read from tensors into Java only through {@link Tensors} (which counts them), so that a hidden
 * device synchronisation cannot creep into a step. The files listed here read raw memory outside any step:
 * checkpoint I/O, LoRA dropout's generator state (saved with a checkpoint), the roofline's timing, the encoders'
 * embedding output and the objectives command's one printed number.
 */
class HostReadsRuleTest {
    private static final Pattern RAW_READ = Pattern.compile("\\.item_\\w+\\(|\\.data_ptr\\w*\\(|\\.cpu\\(\\)");
    private static final Set<String> ALLOWED = Set.of(
            "org/vco4j/tensor/Tensors.java",
            "org/vco4j/tensor/safetensors/SafetensorsWriter.java",
            "org/vco4j/tensor/safetensors/SafetensorsFile.java",
            "org/vco4j/model/lora/LoraDropout.java",
            "org/vco4j/model/nn/Flops.java",
            "org/vco4j/model/encoder/PretrainedImageEncoder.java",
            "org/vco4j/cli/ObjectivesCommand.java");

    @Test
    void tensorValuesReachJavaOnlyThroughTensors() throws Exception {
        Path root = Path.of("src/main/java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (ALLOWED.contains(name)) continue;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (RAW_READ.matcher(lines.get(i)).find()) offenders.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offenders, "read through Tensors.item / toFloatArray / toDoubleArray / toLongArray instead");
    }

    /** The other direction: a host tensor made from Java values reaches the device through Tensors.upload (pinned on a GPU). */
    @Test
    void hostValuesReachTheDeviceOnlyThroughUpload() throws Exception {
        Pattern rawUpload = Pattern.compile("Tensors\\.(longs|floats|doubles|stack)\\(.*\\)\\.to\\(|pixel\\w*\\(?\\)?\\.to\\(\\w+\\.device\\(\\)");
        Path root = Path.of("src/main/java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (rawUpload.matcher(lines.get(i)).find()) offenders.add(name + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offenders, "move host tensors with Tensors.upload(host, device, type)");
    }
}
