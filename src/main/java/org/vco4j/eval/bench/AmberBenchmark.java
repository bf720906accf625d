package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AMBER (Wang et al., 2023) as published in {@code junyangwang0410/AMBER} {@code data/}: {@code query/query_all.json}
 * (or {@code query_all.json}; records {@code {"id", "image", "query"}}), {@code annotations.json} (record id-1 is the
 * truth of query id: {@code type} "generative" with {@code truth}/{@code hallu} word lists, or a discriminative type with
 * {@code truth} "yes"/"no"), {@code relation.json} (word → associated words) and {@code safe_words.txt}; images
 * ({@code AMBER_1.jpg} ...) in {@code --images}.
 *
 * <p>Scored as the reference {@code inference.py}: discriminative answers count only when exactly "Yes" or "No", "No"
 * being the positive class; per group (all, existence = {@code discriminative-hallucination}, attribute = state +
 * number + action, each of those, relation) accuracy, precision, recall and F1 = 2PR/(P+R+1e-4) (1e-3 for
 * existence), all as percentages rounded to one decimal, every denominator starting at 0.001 as the reference's
 * counters do. Generative: CHAIR (response nouns matching neither a truth word nor its associations, over nouns),
 * Cover (truth words mentioned), Hal (responses with such a noun) and Cog (hallucination-prone words mentioned); the
 * AMBER score is (100 − CHAIR + F1) / 2. Nouns come from {@link AmberNouns} (an approximation of NLTK's tagger and
 * WordNet's lemmatizer); the reference's spaCy vector similarity > 0.8 is {@link WordVectors} when {@code --word-vectors}
 * is given, else exact matching (see docs/benchmarks.md for its measured effect). The answers are also written as
 * {@code amber_responses.json} ({@code [{"id", "response"}]}), the reference's input.
 */
public final class AmberBenchmark extends AbstractPublicBenchmark {
    public static final String NAME = "amber";
    private static final String GENERATIVE = "generative";
    private static final Map<String, String> GROUPS = Map.of("discriminative-hallucination", "existence",
            "discriminative-attribute-state", "state", "discriminative-attribute-number", "number",
            "discriminative-attribute-action", "action", "discriminative-relation", "relation");

    /** One query and its truth. */
    record Query(int id, String type, List<String> truth, List<String> hallu, boolean truthYes, BenchmarkItem item) {}

    private final List<Query> queries;
    private final Map<String, List<String>> association;
    private final Set<String> safeWords;
    private final AmberNouns nouns;
    private final WordVectors vectors;

    private AmberBenchmark(List<Query> queries, Map<String, List<String>> association, Set<String> safeWords, WordVectors vectors,
                           Path data, Path images, String instruction, int limit) {
        super(NAME, Map.of("noun_similarity", vectors.isNone() ? "exact match (no --word-vectors)" : "word vectors, cosine > threshold"),
                data, images, instruction, limit, queries.stream().map(Query::item).toList());
        this.queries = queries;
        this.association = association;
        this.safeWords = safeWords;
        this.vectors = vectors;
        this.nouns = new AmberNouns(vocabulary(association));
    }

    /**
     * @param data        AMBER's {@code data/} folder
     * @param wordVectors a word-vector text file for the synonym test (spaCy's en_core_web_lg exported); null for exact matching
     * @param limit       at most this many queries (the first); 0 for all
     */
    public static AmberBenchmark read(Path data, Path images, String instruction, int limit, Path wordVectors, double similarity)
            throws IOException {
        if (!Files.isDirectory(data)) throw new IllegalArgumentException("--data " + data + ": no such folder (AMBER's data/)");
        if (images == null || !Files.isDirectory(images)) throw new IllegalArgumentException("--images " + images + ": no such folder (AMBER's images)");
        Path queryFile = Files.isRegularFile(data.resolve("query/query_all.json")) ? data.resolve("query/query_all.json") : data.resolve("query_all.json");
        Map<String, List<String>> association = readAssociation(data.resolve("relation.json"));
        Set<String> safeWords = new HashSet<>(Files.readAllLines(requireFile(data.resolve("safe_words.txt")), StandardCharsets.UTF_8));
        JsonNode annotations = BenchmarkFiles.jsonDocument(data.resolve("annotations.json"));
        if (!annotations.isArray()) throw new IllegalArgumentException(data.resolve("annotations.json") + ": expected a JSON array");
        String suffix = instruction == null ? "" : instruction;
        List<Query> queries = BenchmarkFiles.readJsonArray(queryFile, "query", "queries", limit, (index, q, where) -> {
            JsonNode idNode = q.get("id");
            if (idNode == null || !idNode.isIntegralNumber()) throw new IllegalArgumentException(where + ": field 'id' must be an integer");
            int id = idNode.asInt();
            if (id < 1 || id > annotations.size()) {
                throw new IllegalArgumentException(where + ": field 'id' " + id + " has no record in annotations.json (" + annotations.size() + " records)");
            }
            Path image = BenchmarkFiles.image(images, BenchmarkFiles.text(q, "image", where), where, "image");
            String prompt = withInstruction(BenchmarkFiles.text(q, "query", where), suffix);
            return query(id, data.resolve("annotations.json") + ": record " + (id - 1), annotations.get(id - 1), association,
                    new BenchmarkItem(String.valueOf(id), image, prompt));
        });
        WordVectors vectors = wordVectors == null ? WordVectors.none() : WordVectors.read(wordVectors, vocabulary(association), similarity);
        return new AmberBenchmark(queries, association, safeWords, vectors, data, images, suffix, limit);
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        ArrayNode responses = Json.MAPPER.createArrayNode();
        for (Query q : queries) responses.addObject().put("id", q.id()).put("response", answers.get(q.item().id()));
        AtomicFiles.write(out.resolve("amber_responses.json"), Json.PRETTY.writeValueAsBytes(responses));
        return metrics(answers);
    }

    /** The reference's counters for one group of discriminative questions; every denominator starts at 0.001. */
    static final class Counts {
        double correctScore;
        double correctNum = 0.001;
        double noScore;
        double noNum = 0.001;
        double ansNoScore;
        double ansNoNum = 0.001;
        int questions;

        void add(boolean truthYes, String response) {
            questions++;
            correctNum += 1;
            if (truthYes) {
                if (response.equals("Yes")) correctScore += 1;
            } else {
                noNum += 1;
                if (response.equals("No")) {
                    correctScore += 1;
                    noScore += 1;
                }
            }
            if (response.equals("No")) {
                ansNoNum += 1;
                if (!truthYes) ansNoScore += 1;
            }
        }

        static Counts sum(List<Counts> parts) {
            Counts total = new Counts();
            total.correctNum = total.noNum = total.ansNoNum = 0;
            for (Counts c : parts) {
                total.correctScore += c.correctScore;
                total.correctNum += c.correctNum;
                total.noScore += c.noScore;
                total.noNum += c.noNum;
                total.ansNoScore += c.ansNoScore;
                total.ansNoNum += c.ansNoNum;
                total.questions += c.questions;
            }
            return total;
        }

        void put(Map<String, Double> metrics, String prefix, double f1Epsilon) {
            double precision = percent(ansNoScore, ansNoNum);
            double recall = percent(noScore, noNum);
            metrics.put(prefix + "/accuracy", percent(correctScore, correctNum));
            metrics.put(prefix + "/precision", precision);
            metrics.put(prefix + "/recall", recall);
            metrics.put(prefix + "/f1", round1(2 * (precision / 100) * (recall / 100) / ((precision / 100) + (recall / 100) + f1Epsilon) * 100));
            metrics.put(prefix + "/questions", (double) questions);
        }
    }

    Map<String, Double> metrics(Map<String, String> answers) {
        double chairScore = 0, chairNum = 0.001, coverScore = 0, coverNum = 0.001, cogScore = 0, cogNum = 0.001, cleanScore = 0, cleanNum = 0.001;
        int generative = 0;
        int unmatched = 0;
        Counts all = new Counts();
        Map<String, Counts> groups = new LinkedHashMap<>();
        for (String group : List.of("existence", "state", "number", "action", "relation")) groups.put(group, new Counts());
        for (Query q : queries) {
            String response = answers.get(q.item().id());
            if (q.type().equals(GENERATIVE)) {
                Generative g = generative(q, response);
                generative++;
                chairScore += g.hallucinatedNouns();
                chairNum += g.nouns();
                coverScore += g.truthCovered();
                coverNum += q.truth().size();
                cogScore += g.halluCovered();
                cogNum += q.hallu().size();
                if (g.hallucinatedNouns() == 0) cleanScore += 1;
                cleanNum += 1;
            } else {
                if (!response.equals("Yes") && !response.equals("No")) unmatched++;
                all.add(q.truthYes(), response);
                groups.get(GROUPS.get(q.type())).add(q.truthYes(), response);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        double chair = percent(chairScore, chairNum);
        if (generative > 0) {
            metrics.put(NAME + "/generative/chair", chair);
            metrics.put(NAME + "/generative/cover", percent(coverScore, coverNum));
            metrics.put(NAME + "/generative/hal", round1(100 - cleanScore / cleanNum * 100));
            metrics.put(NAME + "/generative/cog", percent(cogScore, cogNum));
            metrics.put(NAME + "/generative/responses", (double) generative);
        }
        if (all.questions > 0) {
            all.put(metrics, NAME + "/discriminative", 0.0001);
            metrics.put(NAME + "/discriminative/not_yes_or_no", (double) unmatched);
            if (groups.get("existence").questions > 0) groups.get("existence").put(metrics, NAME + "/existence", 0.001);
            Counts attribute = Counts.sum(List.of(groups.get("state"), groups.get("number"), groups.get("action")));
            if (attribute.questions > 0) attribute.put(metrics, NAME + "/attribute", 0.0001);
            for (String group : List.of("state", "number", "action", "relation")) {
                if (groups.get(group).questions > 0) groups.get(group).put(metrics, NAME + "/" + group, 0.0001);
            }
            if (generative > 0) metrics.put(NAME + "/amber_score", (100 - chair + metrics.get(NAME + "/discriminative/f1")) / 2);
        }
        return metrics;
    }

    /** One generative response's counts: nouns, nouns hallucinated, truth and hallucination-prone words covered. */
    record Generative(int nouns, int hallucinatedNouns, int truthCovered, int halluCovered) {}

    /** The reference's matching of one response's nouns against the truth, the hallucination-prone words and their associations. */
    Generative generative(Query q, String response) {
        List<String[]> safe = entries(q.truth());
        List<String[]> prone = entries(q.hallu());
        boolean[] truthCovered = new boolean[q.truth().size()];
        boolean[] halluCovered = new boolean[q.hallu().size()];
        List<String> found = nouns.extract(response);
        int hallucinated = 0;
        for (String noun : found) {
            if (safeWords.contains(noun)) continue;
            int exact = indexOf(safe, noun, true);
            if (exact >= 0) {
                truthCovered[Integer.parseInt(safe.get(exact)[1])] = true;
                continue;
            }
            int prone1 = indexOf(prone, noun, true);
            if (prone1 >= 0) halluCovered[Integer.parseInt(prone.get(prone1)[1])] = true;
            int prone2 = indexOf(prone, noun, false);
            if (prone2 >= 0) halluCovered[Integer.parseInt(prone.get(prone2)[1])] = true;
            int similar = indexOf(safe, noun, false);
            if (similar >= 0) {
                truthCovered[Integer.parseInt(safe.get(similar)[1])] = true;
                continue;
            }
            hallucinated++;
        }
        return new Generative(found.size(), hallucinated, count(truthCovered), count(halluCovered));
    }

    /** The reference's word lists: every word's associations, then the words themselves, each with its word's index. */
    private List<String[]> entries(List<String> words) {
        List<String[]> entries = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) for (String a : association.get(words.get(i))) entries.add(new String[] {a, String.valueOf(i)});
        for (int i = 0; i < words.size(); i++) entries.add(new String[] {words.get(i), String.valueOf(i)});
        return entries;
    }

    private int indexOf(List<String[]> entries, String noun, boolean exact) {
        for (int j = 0; j < entries.size(); j++) {
            if (exact ? entries.get(j)[0].equals(noun) : vectors.similar(noun, entries.get(j)[0])) return j;
        }
        return -1;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) if (f) n++;
        return n;
    }

    private static double percent(double score, double num) {
        return round1(score / num * 100);
    }

    /** Python's round(x, 1): the exact binary value, half to even. */
    static double round1(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static Query query(int id, String where, JsonNode annotation, Map<String, List<String>> association, BenchmarkItem item) {
        BenchmarkFiles.object(annotation, where);
        String type = BenchmarkFiles.text(annotation, "type", where);
        if (type.equals(GENERATIVE)) {
            List<String> truth = words(annotation, "truth", where, association);
            List<String> hallu = words(annotation, "hallu", where, association);
            return new Query(id, type, truth, hallu, false, item);
        }
        if (!GROUPS.containsKey(type)) {
            throw new IllegalArgumentException(where + ": field 'type' is '" + type + "', expected generative or one of " + GROUPS.keySet());
        }
        String truth = BenchmarkFiles.text(annotation, "truth", where);
        if (!truth.equals("yes") && !truth.equals("no")) throw new IllegalArgumentException(where + ": field 'truth' must be \"yes\" or \"no\", got \"" + truth + "\"");
        return new Query(id, type, List.of(), List.of(), truth.equals("yes"), item);
    }

    private static List<String> words(JsonNode annotation, String field, String where, Map<String, List<String>> association) {
        JsonNode list = annotation.get(field);
        if (list == null || !list.isArray()) throw new IllegalArgumentException(where + ": field '" + field + "' must be a list of words");
        List<String> words = new ArrayList<>();
        for (JsonNode w : list) {
            if (!w.isTextual()) throw new IllegalArgumentException(where + ": field '" + field + "' must be a list of words, got " + w);
            if (!association.containsKey(w.asText())) {
                throw new IllegalArgumentException(where + ": field '" + field + "': '" + w.asText() + "' has no entry in relation.json");
            }
            words.add(w.asText());
        }
        return words;
    }

    private static Map<String, List<String>> readAssociation(Path file) throws IOException {
        JsonNode root = BenchmarkFiles.jsonDocument(file);
        if (!root.isObject()) throw new IllegalArgumentException(file + ": expected a JSON object of word → associated words");
        Map<String, List<String>> association = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> words = new ArrayList<>();
            if (!e.getValue().isArray()) throw new IllegalArgumentException(file + ": field '" + e.getKey() + "' must be a list of words");
            for (JsonNode w : e.getValue()) words.add(w.asText());
            association.put(e.getKey(), words);
        }
        return association;
    }

    /** Every word relation.json names: the words and their associated words. */
    private static Set<String> vocabulary(Map<String, List<String>> association) {
        Set<String> vocabulary = new HashSet<>(association.keySet());
        association.values().forEach(vocabulary::addAll);
        return vocabulary;
    }

    private static Path requireFile(Path file) {
        BenchmarkFiles.requireFile(file);
        return file;
    }
}
