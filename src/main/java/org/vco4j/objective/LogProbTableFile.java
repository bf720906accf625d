package org.vco4j.objective;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;
import org.vco4j.request.Request;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON table of log-probabilities into a {@link LogProbTable} for one objective (the layout is in
 * {@code docs/objectives-eval.md}). Every error names the file, the sample (index and id) and the field.
 * Requests the objective does not declare are ignored, so one file can serve several objectives; their
 * names must still be valid.
 */
public final class LogProbTableFile {
    private static final Set<String> FILE_FIELDS = Set.of("samples");
    private static final Set<String> SAMPLE_FIELDS = Set.of("id", "swapped", "requests");
    private static final Set<String> SCORE_FIELDS = Set.of("policy", "reference", "tokens");

    private record Score(double policy, double reference, long tokens) {}

    private final Path file;

    private LogProbTableFile(Path file) {
        this.file = file;
    }

    /** The table of {@code file} for {@code objective}, in float64, the caller's pointer scope owning its tensors. */
    public static LogProbTable read(Path file, Objective objective) {
        return new LogProbTableFile(file).table(objective);
    }

    private LogProbTable table(Objective objective) {
        JsonNode samples = field(root(), "samples", "");
        if (!samples.isArray() || samples.isEmpty()) throw error("", "'samples' must be a non-empty array");

        List<String> ids = new ArrayList<>();
        boolean[] swapped = new boolean[samples.size()];
        List<Map<Request, Score>> scores = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            JsonNode sample = samples.get(i);
            String where = "sample " + i;
            if (!sample.isObject()) throw error(where, "must be an object");
            checkFields(sample, SAMPLE_FIELDS, where);
            String id = sample.has("id") ? text(sample.get("id"), where + ", field 'id'") : "#" + i;
            where = "sample " + i + " ('" + id + "')";
            ids.add(id);
            swapped[i] = sample.has("swapped") && bool(sample.get("swapped"), where + ", field 'swapped'");
            scores.add(scores(field(sample, "requests", where), where));
        }

        LogProbTable.Builder builder = LogProbTable.builder(objective, ids).swapped(swapped);
        for (Request request : objective.requests()) {
            double[] policy = new double[ids.size()];
            double[] reference = new double[ids.size()];
            long[] tokens = new long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                Score score = scores.get(i).get(request);
                if (score == null) {
                    throw error("sample " + i + " ('" + ids.get(i) + "')", "no entry for request '" + request.name()
                            + "', which " + objective.name() + " reads; it reads " + objective.requests());
                }
                policy[i] = score.policy();
                reference[i] = score.reference();
                tokens[i] = score.tokens();
            }
            builder.put(request, Tensors.doubles(policy), Tensors.doubles(reference), Tensors.longs(tokens));
        }
        return builder.build();
    }

    private JsonNode root() {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw error("", "not valid JSON: " + e.getOriginalMessage() + at);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw error("", "must hold a JSON object with a 'samples' array");
        checkFields(root, FILE_FIELDS, "");
        return root;
    }

    private Map<Request, Score> scores(JsonNode requests, String where) {
        if (!requests.isObject()) throw error(where, "field 'requests' must be an object of request name -> scores");
        LinkedHashMap<Request, Score> scores = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = where + ", request '" + entry.getKey() + "'";
            Request request;
            try {
                request = Request.parse(entry.getKey());
            } catch (IllegalArgumentException e) {
                throw error(where, e.getMessage());
            }
            JsonNode score = entry.getValue();
            if (!score.isObject()) throw error(at, "must be an object with policy, reference and tokens");
            checkFields(score, SCORE_FIELDS, at);
            double policy = logProbability(field(score, "policy", at), at + ", field 'policy'");
            double reference = logProbability(field(score, "reference", at), at + ", field 'reference'");
            JsonNode tokens = field(score, "tokens", at);
            if (!tokens.canConvertToLong() || !tokens.isIntegralNumber() || tokens.asLong() < 0) {
                throw error(at + ", field 'tokens'", "must be a whole number >= 0, got " + tokens);
            }
            scores.put(request, new Score(policy, reference, tokens.asLong()));
        }
        return scores;
    }

    private double logProbability(JsonNode node, String where) {
        if (!node.isNumber()) throw error(where, "must be a number, got " + node);
        double value = node.asDouble();
        if (!Double.isFinite(value) || value > 0) {
            throw error(where, "must be a summed log-probability (a finite number <= 0), got " + node);
        }
        return value;
    }

    private JsonNode field(JsonNode node, String name, String where) {
        JsonNode value = node.get(name);
        if (value == null) throw error(where, "missing field '" + name + "'");
        return value;
    }

    private String text(JsonNode node, String where) {
        if (!node.isTextual()) throw error(where, "must be a string, got " + node);
        return node.asText();
    }

    private boolean bool(JsonNode node, String where) {
        if (!node.isBoolean()) throw error(where, "must be true or false, got " + node);
        return node.asBoolean();
    }

    private void checkFields(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                String expected = String.join(", ", known.stream().sorted().toList());
                throw error(where, "unknown field '" + name + "'; expected " + expected);
            }
        }
    }

    private IllegalArgumentException error(String where, String message) {
        return new IllegalArgumentException(file + (where.isEmpty() ? "" : ": " + where) + ": " + message);
    }
}
