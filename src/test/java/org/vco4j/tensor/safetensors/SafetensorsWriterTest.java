package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.AtomicFiles;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    private List<String> folderContents() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertRejected(String name, Tensor tensor, String... expectedInMessage) throws IOException {
        Path file = dir.resolve("rejected.safetensors");
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put("fine", Tensors.floats(1f));
        tensors.put(name, tensor);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(file, tensors));
        assertTrue(e.getMessage().contains(SafetensorsFormatException.quote(name)), e.getMessage());
        for (String s : expectedInMessage) assertTrue(e.getMessage().contains(s), e.getMessage());
        assertFalse(Files.exists(file));
        assertEquals(List.of(), folderContents(), "nothing is written for a rejected map");
    }

    @Test
    void rejectsTensorsItCannotStore() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            assertRejected("complex", Tensors.floats(1f, 2f).to(ScalarType.ComplexFloat), "ComplexFloat", "supported");
            assertRejected("undefined", new Tensor(), "undefined");
            assertRejected("sparse", torch.eye(3).to_sparse(2), "Sparse", "to_dense");
            assertRejected("__metadata__", Tensors.floats(1f), "reserved");
        }
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("w.safetensors");
            SafetensorsWriter.write(file, Map.of("a", Tensors.floats(1f)));
            SafetensorsWriter.write(file, Map.of("b", Tensors.floats(2f, 3f)));
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertEquals(List.of("b"), st.names());
            }
            assertEquals(List.of("w.safetensors"), folderContents());
        }
    }

    @Test
    void aFailureWhileWritingLeavesTheTargetUntouched() throws IOException {
        Path target = dir.resolve("target.bin");
        Files.writeString(target, "old content");
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(target, channel -> {
            channel.write(ByteBuffer.wrap("half of the new".getBytes()));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertEquals("old content", Files.readString(target));
        assertEquals(List.of("target.bin"), folderContents());

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(dir.resolve("fresh.bin"), channel -> {
            channel.write(ByteBuffer.wrap(new byte[10]));
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("target.bin"), folderContents(), "no target and no temporary file");
    }

    @Test
    void temporaryFilesGetOrdinaryPermissions() throws IOException {
        Path target = dir.resolve("perm.bin");
        AtomicFiles.write(target, channel -> channel.write(ByteBuffer.wrap(new byte[] {1})));
        Path reference = Files.createFile(dir.resolve("reference.bin"));
        if (Files.getFileStore(target).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(target));
        }
    }

    @Test
    void rejectsNullMetadataEntries() {
        try (PointerScope scope = new PointerScope()) {
            Map<String, String> metadata = new HashMap<>();
            metadata.put("k", null);
            assertThrows(IllegalArgumentException.class, () ->
                    SafetensorsWriter.write(dir.resolve("m.safetensors"), Map.of("a", Tensors.floats(1f)), metadata));
        }
    }
}
