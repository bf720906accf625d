package org.vco4j.eval.bench;

import org.vco4j.common.ProgressBar;
import org.vco4j.eval.judge.ChatJudge;
import org.vco4j.eval.judge.ChatMessage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Asking a benchmark's LLM judge with a progress bar, and recording which judge graded. */
final class Judging {
    private Judging() {}

    static List<String> replies(ChatJudge judge, String label, List<List<ChatMessage>> conversations, double temperature) throws IOException {
        ProgressBar bar = new ProgressBar(label + " judge", conversations.size(), "replies");
        List<String> replies = judge.completeAll(conversations, temperature, bar::update);
        bar.finish();
        return replies;
    }

    /** {@code {"grader": "judge", "judge_model", "judge_url"}} for the summary. */
    static Map<String, Object> record(ChatJudge judge) {
        Map<String, Object> grading = new LinkedHashMap<>();
        grading.put("grader", "judge");
        grading.put("judge_model", judge.settings().model());
        grading.put("judge_url", judge.settings().baseUrl().toString());
        return grading;
    }
}
