package org.vco4j.train.optim;

import org.junit.jupiter.api.Test;
import org.vco4j.train.optim.LearningRateSchedule.Type;

import static org.junit.jupiter.api.Assertions.*;

class LearningRateScheduleTest {
    private static final double PEAK = 1e-4;

    @Test
    void warmupStepsRoundUpAsTheTrainerDoes() {
        assertEquals(3, LearningRateSchedule.warmupSteps(100, 0.03));
        assertEquals(1, LearningRateSchedule.warmupSteps(10, 0.01));
        assertEquals(0, LearningRateSchedule.warmupSteps(10, 0.0));
        // 100 * 0.07 is 7.000000000000001 in double precision, and Python's math.ceil makes that 8.
        assertEquals(8, LearningRateSchedule.warmupSteps(100, 0.07));
        assertEquals(8, LearningRateSchedule.withWarmupRatio(Type.COSINE, PEAK, 100, 0.07).warmupSteps());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupSteps(10, 1.5));
    }

    @Test
    void cosineWithWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(Type.COSINE, PEAK, 10, 2);
        assertEquals(0.0, s.learningRate(0), 0);
        assertEquals(0.5e-4, s.learningRate(1), 1e-18);
        assertEquals(PEAK, s.learningRate(2), 0);
        // progress 1/8: 0.5 (1 + cos(pi/8))
        assertEquals(PEAK * 0.5 * (1 + Math.cos(Math.PI / 8)), s.learningRate(3), 1e-18);
        assertEquals(0.5e-4, s.learningRate(6), 1e-18);
        assertEquals(0.0, s.learningRate(10), 1e-20);
        // The Trainer's formula rises again past the end of the run.
        assertEquals(0.5e-4, s.learningRate(14), 1e-18);
    }

    @Test
    void linearWithWarmup() {
        LearningRateSchedule s = new LearningRateSchedule(Type.LINEAR, 2.0, 10, 4);
        double[] expected = {0, 0.5, 1.0, 1.5, 2.0, 2.0 * 5 / 6, 2.0 * 4 / 6, 1.0, 2.0 * 2 / 6, 2.0 / 6, 0, 0};
        for (int step = 0; step < expected.length; step++) assertEquals(expected[step], s.learningRate(step), 1e-15, "step " + step);
    }

    @Test
    void constantSchedules() {
        LearningRateSchedule constant = new LearningRateSchedule(Type.CONSTANT, PEAK, 10, 5);
        assertEquals(PEAK, constant.learningRate(0), 0, "the Trainer's constant has no warmup");
        LearningRateSchedule warm = new LearningRateSchedule(Type.CONSTANT_WITH_WARMUP, PEAK, 10, 4);
        assertEquals(0.25 * PEAK, warm.learningRate(1), 0);
        assertEquals(PEAK, warm.learningRate(4), 0);
        assertEquals(PEAK, warm.learningRate(50), 0);
    }

    @Test
    void noWarmupStartsAtThePeak() {
        LearningRateSchedule s = new LearningRateSchedule(Type.COSINE, PEAK, 4, 0);
        assertEquals(PEAK, s.learningRate(0), 0);
        assertEquals(PEAK * 0.5 * (1 + Math.cos(Math.PI / 4)), s.learningRate(1), 1e-18);
    }

    @Test
    void namesAreTheTrainers() {
        assertEquals(Type.CONSTANT_WITH_WARMUP, Type.fromName("constant_with_warmup"));
        assertEquals("cosine", Type.COSINE.hfName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Type.fromName("cosine_with_restarts"));
        assertTrue(e.getMessage().contains("cosine_with_restarts"));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(Type.LINEAR, PEAK, 0, 0));
    }
}
