package org.vco4j.eval.bench;

import org.vco4j.common.ProgressBar;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark whose answers an LLM judge grades (MMHal-Bench), or may grade instead of the benchmark's rule grader
 * (MMVP, HallusionBench): it asks the judge with a progress bar and records which grader graded.
 */
abstract class JudgedBenchmark extends AbstractPublicBenchmark {
    private final ChatClient judge;
    private final String rule;

    /**
     * @param judge the judge; null for the rule grader
     * @param rule  the rule grader, as the summary names it when there is no judge (null where only a judge grades)
     */
    JudgedBenchmark(String name, ChatClient judge, String rule, Path data, Path images, String instruction, int limit,
                    List<BenchmarkItem> items) {
        super(name, data, images, instruction, limit, items);
        this.judge = judge;
        this.rule = rule;
    }

    /** The judge, or null when the rule grader grades. */
    final ChatClient judge() {
        return judge;
    }

    /**
     * {@code {"grader": "judge", "judge_model", "judge_url"}} with a judge, else {@code {"grader": <the rule>}}.
     */
    @Override
    public final Map<String, Object> grading() {
        if (judge == null) return Map.of("grader", rule);
        Map<String, Object> grading = new LinkedHashMap<>();
        grading.put("grader", "judge");
        grading.put("judge_model", judge.settings().model());
        grading.put("judge_url", judge.settings().baseUrl().toString());
        return grading;
    }

    /** The judge's reply to each conversation, in order, with a progress bar. */
    final List<String> judgeReplies(List<List<ChatMessage>> conversations, double temperature) throws IOException {
        ProgressBar bar = new ProgressBar(name() + " judge", conversations.size(), "replies");
        List<String> replies = judge.completeAll(conversations, temperature, bar::update);
        bar.finish();
        return replies;
    }
}
