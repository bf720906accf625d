package org.vco4j.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where time goes, by named stage, when profiling is on ({@code vco bench train --profile}); off, a stage costs one
 * volatile read. Times are exclusive: a stage nested in another (the vision tower inside a reference pass) counts
 * only for itself, so the stages of a step add up to the step. Wall-clock times: exact on the CPU, where libtorch
 * runs synchronously; on a GPU a stage would also need a device synchronisation to be exact.
 */
public final class Profiler {
    private static volatile boolean enabled;
    private static final Map<String, Long> NANOS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Deque<Frame>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private static final class Frame {
        final String stage;
        long resumed;
        long spent;

        Frame(String stage, long now) {
            this.stage = stage;
            this.resumed = now;
        }
    }

    private Profiler() {}

    /** Turns profiling on or off and forgets what was measured. */
    public static void enable(boolean on) {
        NANOS.clear();
        enabled = on;
    }

    /** Seconds spent in each stage since {@link #enable}, in the order the stages first ran. */
    public static Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        NANOS.forEach((stage, nanos) -> out.put(stage, nanos / 1e9));
        return out;
    }

    /** Forgets what was measured, keeping profiling on or off. */
    public static void reset() {
        NANOS.clear();
    }

    public static <T> T time(String stage, Supplier<T> work) {
        if (!enabled) return work.get();
        enter(stage);
        try {
            return work.get();
        } finally {
            exit();
        }
    }

    public static void time(String stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }

    private static void enter(String stage) {
        long now = System.nanoTime();
        Deque<Frame> stack = STACK.get();
        Frame parent = stack.peek();
        if (parent != null) parent.spent += now - parent.resumed;
        stack.push(new Frame(stage, now));
    }

    private static void exit() {
        long now = System.nanoTime();
        Deque<Frame> stack = STACK.get();
        Frame frame = stack.pop();
        frame.spent += now - frame.resumed;
        NANOS.merge(frame.stage, frame.spent, Long::sum);
        Frame parent = stack.peek();
        if (parent != null) parent.resumed = now;
    }
}
