package io.hyperrec.store.http;

/**
 * Where the HTTP API hands validated events: Kafka in production ({@link KafkaEventSink}), an
 * in-memory list in tests. An accepted event is on its way into the pipeline, not yet applied:
 * hence {@code 202 Accepted}.
 *
 * <p>Implementations are called from many request threads at once and must be thread-safe.
 */
public interface EventSink {
    /**
     * Sends an interaction to topic {@code interactions}, keyed by user.
     *
     * @throws EventSinkException when the event could not be handed over
     */
    void sendInteraction(InteractionEvent event);

    /**
     * Sends a new item to topic {@code items.new}, keyed by item.
     *
     * @throws EventSinkException when the event could not be handed over
     */
    void sendItem(NewItemEvent event);
}
