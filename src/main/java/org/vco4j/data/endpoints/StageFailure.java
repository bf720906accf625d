package org.vco4j.data.endpoints;

/**
 * A record that one stage of an endpoint pipeline could not finish (a planner that never gave a valid answer, an
 * editor output that is no image, a verifier that rejected the edit): the record is counted under {@code stage} and
 * left out, and the run goes on. An endpoint that cannot be reached at all is not this: it stops the run, which a
 * rerun resumes.
 */
final class StageFailure extends Exception {
    private final String stage;

    StageFailure(String stage, String reason) {
        super(reason);
        this.stage = stage;
    }

    String stage() {
        return stage;
    }
}
