package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.train.report.MetricsRecord;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainingListenerTest {
    /** Records every hook as "name@step". */
    private static final class Recorder implements TrainingListener {
        final List<String> calls = new ArrayList<>();
        final List<StepEnd> steps = new ArrayList<>();

        @Override public void onTrainBegin(TrainerState state) { calls.add("begin@" + state.globalStep); }
        @Override public void onStepEnd(StepEnd step) { calls.add("step@" + step.step()); steps.add(step); }
        @Override public void onEvaluate(Evaluation evaluation) { calls.add("eval@" + evaluation.step()); }
        @Override public void onSave(TrainerState state) { calls.add("save@" + state.globalStep); }
        @Override public void onTrainEnd(TrainerState state) { calls.add("end@" + state.globalStep); }
    }

    @Test
    void hooksComeInLoopOrder(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 6);
        TrainConfig config = TrainerTest.config(data, dir.resolve("run"), "s-vco");
        config.maxSteps = 5;
        config.valFraction = 0.34;
        config.evalSteps = 2;
        config.saveSteps = 3;
        config.gradientAccumulationSteps = 2;
        Recorder recorder = new Recorder();
        try (TrainingRun run = new TrainingRun(config, DistributedContext.single())) {
            Trainer trainer = new Trainer(Trainer.Settings.of(config), run.objective(), run.step(), run.policy(),
                    run.optimizer(), run.schedule(), run.batches(), run.validation(), run.distributed(), () -> "none",
                    List.of(recorder));
            TrainerState state = trainer.train(run.freshState());
            assertEquals(5, state.globalStep);
        }
        assertEquals(List.of("begin@0", "step@1", "step@2", "eval@2", "step@3", "save@3", "step@4", "eval@4",
                "step@5", "eval@5", "end@5"), recorder.calls);
        for (TrainingListener.StepEnd step : recorder.steps) {
            assertEquals(5, step.totalSteps());
            assertEquals(2 * config.batchSize, step.samples(), "two micro-batches of the global batch");
            assertTrue(step.tokens() > 0);
            assertTrue(step.metrics().containsKey(MetricsRecord.LOSS), step.metrics().toString());
            assertTrue(Double.isFinite(step.loss()) && Double.isFinite(step.gradNorm()));
            assertEquals(config.learningRate, step.learningRate());
        }
        assertTrue(recorder.steps.get(4).isLast());
    }

    @Test
    void metricsLogListenerWritesTrainingRecordsEveryLoggingStepAndEvalRecordsPrefixed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 0.5);
        metrics.put("rewards/margins", 0.25);
        try (MetricsLog log = MetricsLog.create(file)) {
            MetricsLogListener listener = new MetricsLogListener(log, 2, 1);
            TrainerState state = new TrainerState();
            state.totalSteps = 3;
            listener.onTrainBegin(state);
            for (long step = 1; step <= 3; step++) {
                listener.onStepEnd(new TrainingListener.StepEnd(step, 3, step / 3.0, metrics, 1e-3, 0.1, 4, 40));
                if (step == 2) listener.onEvaluate(new TrainingListener.Evaluation(2, 2 / 3.0, Map.of("loss", 0.7)));
            }
        }
        List<MetricsRecord> records = MetricsLog.read(file);
        assertEquals(List.of(2L, 2L, 3L), records.stream().map(MetricsRecord::step).toList());
        assertEquals(List.of("loss", "rewards/margins", "learning_rate", "grad_norm", "samples_per_second",
                "tokens_per_second", "flops_per_sample", "flops_per_second"), List.copyOf(records.get(0).values().keySet()));
        assertEquals(Map.of("eval/loss", 0.7), records.get(1).values());
        assertEquals(0.25, records.get(2).number("rewards/margins"));
        assertEquals(records.get(0).number("samples_per_second") * 10, records.get(0).number("tokens_per_second"), 1e-6);
    }
}
