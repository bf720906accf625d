package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.Usage;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests and tokens by stage (planner, editor, verifier, ...): what a record cost, and summed, what a run cost.
 * A reply read from the cache counts as a request that was {@code cached} and its tokens as they were first reported.
 */
final class UsageTally {
    /** One stage's counts. */
    record Counts(long requests, long cached, long inputTokens, long outputTokens) {
        Counts plus(Counts o) {
            return new Counts(requests + o.requests, cached + o.cached, inputTokens + o.inputTokens, outputTokens + o.outputTokens);
        }
    }

    private final Map<String, Counts> byStage = new TreeMap<>();

    synchronized void add(String stage, ChatClient.Reply reply) {
        add(stage, reply.usage(), reply.cached());
    }

    synchronized void add(String stage, Usage usage, boolean cached) {
        byStage.merge(stage, new Counts(1, cached ? 1 : 0, usage.inputTokens(), usage.outputTokens()), Counts::plus);
    }

    synchronized void addAll(UsageTally other) {
        other.byStage.forEach((stage, counts) -> byStage.merge(stage, counts, Counts::plus));
    }

    synchronized ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        long input = 0;
        long output = 0;
        for (Map.Entry<String, Counts> e : byStage.entrySet()) {
            Counts c = e.getValue();
            node.putObject(e.getKey()).put("requests", c.requests).put("cached", c.cached)
                    .put("input_tokens", c.inputTokens).put("output_tokens", c.outputTokens);
            input += c.inputTokens;
            output += c.outputTokens;
        }
        node.putObject("total").put("input_tokens", input).put("output_tokens", output).put("tokens", input + output);
        return node;
    }

    static UsageTally fromJson(JsonNode node) {
        UsageTally tally = new UsageTally();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("total")) continue;
            JsonNode c = e.getValue();
            tally.byStage.put(e.getKey(), new Counts(c.path("requests").asLong(), c.path("cached").asLong(),
                    c.path("input_tokens").asLong(), c.path("output_tokens").asLong()));
        }
        return tally;
    }
}
