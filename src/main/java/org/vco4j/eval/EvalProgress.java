package org.vco4j.eval;

/** Receives progress of long benchmark stages (the command line draws a bar; in-process callers may ignore it). */
@FunctionalInterface
public interface EvalProgress {
    EvalProgress NONE = (stage, done, total) -> {};

    /** {@code done} of {@code total} units of {@code stage} are finished; every stage starts with {@code done} = 0. */
    void update(String stage, int done, int total);
}
