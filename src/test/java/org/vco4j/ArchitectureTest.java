package org.vco4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the arrows of docs/architecture.md: reads the table of allowed arrows from the document, every
 * reference to another project package in {@code src/main}, and fails on an arrow the table does not
 * list, on a cycle between packages, on an objective that reaches beyond its roles, and on any use of a
 * model family's package from outside it.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/vco4j");
    private static final Path DOCUMENT = Path.of("docs/architecture.md");
    private static final Path FAMILIES = Path.of("src/main/resources/META-INF/services/org.vco4j.model.ModelFamily");
    /** A reference to a project type: an import or a fully qualified name in code. */
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.vco4j\\.([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*)\\.([A-Z]\\w*)");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]*) \\|$");
    private static final Set<String> ROLES = Set.of("Request", "Response", "Condition");

    /** One reference: from a source file (by package) to a type in another package. */
    record Reference(String file, String fromPackage, String toPackage, String type) {}

    @Test
    void everyArrowIsOneTheDocumentAllows() throws IOException {
        Map<String, Set<String>> allowed = allowedArrows(Files.readAllLines(DOCUMENT));
        assertTrue(allowed.size() >= 10, "docs/architecture.md lists the packages: " + allowed.keySet());
        List<String> violations = new ArrayList<>();
        for (Reference r : references()) {
            String from = top(r.fromPackage());
            String to = top(r.toPackage());
            if (from.equals(to)) continue;
            if (!allowed.containsKey(from)) {
                violations.add(r.file() + ": package " + from + " is not in docs/architecture.md");
            } else if (!allowed.get(from).contains(to)) {
                violations.add(r.file() + ": " + from + " -> " + to + " (" + r.toPackage() + "." + r.type() + ")");
            }
        }
        assertEquals(List.of(), violations.stream().distinct().toList(), "arrows docs/architecture.md does not allow");
    }

    @Test
    void noCycleBetweenPackages() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Reference r : references()) {
            if (!r.fromPackage().equals(r.toPackage())) {
                graph.computeIfAbsent(r.fromPackage(), k -> new TreeSet<>()).add(r.toPackage());
            }
        }
        assertEquals(List.of(), cycles(graph), "package cycles");
    }

    @Test
    void objectivesSeeOnlyRolesTensorsAndPlumbing() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Reference r : references()) {
            if (!top(r.fromPackage()).equals("objective")) continue;
            String to = r.toPackage();
            boolean ok = to.startsWith("objective") || to.startsWith("tensor") || to.equals("common")
                    || (to.equals("request") && ROLES.contains(r.type()));
            if (!ok) violations.add(r.file() + ": " + to + "." + r.type());
        }
        assertEquals(List.of(), violations, "an objective sees no model, image or tokenizer");
    }

    @Test
    void onlyAFamilyUsesItsOwnPackage() throws IOException {
        List<String> families = new ArrayList<>();
        for (String line : Files.readAllLines(FAMILIES)) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            families.add(name.substring("org.vco4j.".length(), name.lastIndexOf('.')));
        }
        assertTrue(families.contains("model.llava"), "LLaVA-1.5 is registered: " + families);
        List<String> violations = new ArrayList<>();
        for (Reference r : references()) {
            for (String family : families) {
                if (inside(r.toPackage(), family) && !inside(r.fromPackage(), family)) {
                    violations.add(r.file() + " uses " + r.toPackage() + "." + r.type());
                }
            }
        }
        assertEquals(List.of(), violations, "a family is reached only through ModelFamily");
    }

    @Test
    void noTwoTypesShareASimpleName() throws IOException {
        Map<String, List<Path>> byName = new TreeMap<>();
        for (Path root : List.of(SOURCES, Path.of("src/test/java/org/vco4j"))) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("package-info.java"))
                        .forEach(f -> byName.computeIfAbsent(f.getFileName().toString(), k -> new ArrayList<>()).add(f));
            }
        }
        byName.values().removeIf(paths -> paths.size() < 2);
        assertEquals(Map.of(), byName);
    }

    @Test
    void theCheckersFindWhatTheyLookFor() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", new TreeSet<>(Set.of("b")));
        graph.put("b", new TreeSet<>(Set.of("c")));
        graph.put("c", new TreeSet<>(Set.of("a", "d")));
        assertEquals(List.of("cycle among a, b, c"), cycles(graph));
        graph.get("c").remove("a");
        assertEquals(List.of(), cycles(graph));

        Map<String, Set<String>> allowed = allowedArrows(List.of("| package | owns | may use |", "|---|---|---|",
                "| `tensor` | helpers | common |", "| `common` | plumbing | — |", "| `cli` | commands | tensor, common |"));
        assertEquals(Map.of("tensor", Set.of("common"), "common", Set.of(), "cli", Set.of("tensor", "common")), allowed);

        Matcher m = REFERENCE.matcher("import org.vco4j.model.processing.Context; x = org.vco4j.data.world.ContrastPairs.build(");
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1) + "." + m.group(2));
        assertEquals(List.of("model.processing.Context", "data.world.ContrastPairs"), found);
    }

    static Map<String, Set<String>> allowedArrows(List<String> document) {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (String line : document) {
            Matcher row = TABLE_ROW.matcher(line.strip());
            if (!row.matches()) continue;
            Set<String> uses = new TreeSet<>();
            for (String use : row.group(2).split(",")) {
                String name = use.strip();
                if (name.matches("[a-z]+")) uses.add(name);
            }
            allowed.put(row.group(1), uses);
        }
        return allowed;
    }

    /** Every reference from a main source file to a type of another project package. */
    private static List<Reference> references() throws IOException {
        List<Reference> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(from)) out.add(new Reference(SOURCES.relativize(file).toString(), from, m.group(1), m.group(2)));
                }
            }
        }
        return out;
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    private static boolean inside(String pkg, String family) {
        return pkg.equals(family) || pkg.startsWith(family + ".");
    }

    /** One line per strongly connected component of more than one package (Tarjan): "cycle among a, b". */
    static List<String> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new TreeSet<>();
        List<String> out = new ArrayList<>();
        int[] counter = {0};
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) connect(node, graph, index, low, stack, onStack, counter, out);
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                List<String> stack, Set<String> onStack, int[] counter, List<String> out) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.add(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, counter, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add("cycle among " + String.join(", ", new TreeSet<>(component)));
            }
        }
    }
}
