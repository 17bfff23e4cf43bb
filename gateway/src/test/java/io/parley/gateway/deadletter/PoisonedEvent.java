package io.parley.gateway.deadletter;

/** A test-only event that {@link PoisonedEventHandler} cannot project while it is armed. */
public record PoisonedEvent(String text) {
}
