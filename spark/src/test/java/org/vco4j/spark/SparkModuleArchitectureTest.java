package org.vco4j.spark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Keeps the module's arrows of docs/architecture.md ("Modules"): its main sources use from the core only the
 * packages and classes listed there.
 */
class SparkModuleArchitectureTest {
    private static final List<String> ALLOWED = List.of("org.vco4j.spark.", "org.vco4j.model.encoder.", "org.vco4j.model.image.",
            "org.vco4j.model.nn.", "org.vco4j.model.ModelLoadException", "org.vco4j.data.mining.", "org.vco4j.tensor.", "org.vco4j.common.");
    private static final Pattern REFERENCE = Pattern.compile("org\\.vco4j\\.[a-z0-9_.]*[A-Z]\\w*");

    @Test
    void mainSourcesUseOnlyTheListedPartsOfTheCore() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources.resolve("org/vco4j/spark")), "run from the module's folder");
        List<String> violations = new ArrayList<>();
        int references = 0;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    references++;
                    String name = m.group();
                    if (ALLOWED.stream().noneMatch(name::startsWith)) violations.add(sources.relativize(file) + ": " + name);
                }
            }
        }
        assertTrue(references > 10, "the scan sees the module's references to the core: " + references);
        assertEquals(List.of(), violations, "references docs/architecture.md does not allow the Spark module");
    }
}
