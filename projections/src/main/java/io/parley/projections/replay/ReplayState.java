package io.parley.projections.replay;

public enum ReplayState {
    RUNNING, DONE, FAILED
}
