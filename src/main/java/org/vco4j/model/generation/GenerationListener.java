package org.vco4j.model.generation;

/**
 * What a {@link GenerationEngine} tells the owner of a request, on the engine's thread (so keep it quick: hand the
 * events to another thread for anything slow, such as writing to a network connection). {@link #onText} may be
 * called any number of times, then exactly one of {@link #onFinish} or {@link #onError}, unless the request is
 * cancelled first.
 */
public interface GenerationListener {

    /** Text that is final (no stop string can take it back); the deltas concatenate to {@link Completion#text()}. */
    void onText(String delta);

    void onFinish(Completion completion);

    /** The request failed: bad input ({@link IllegalArgumentException}) or a model error. */
    void onError(RuntimeException error);
}
