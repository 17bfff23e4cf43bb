package io.parley.embedded.process;

/** Signals the children are stopped with: PostgreSQL's fast shutdown is INT, Elasticsearch's is TERM. */
public enum Signal {
    INT, TERM, KILL
}
