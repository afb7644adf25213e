package io.hyperrec.store.http;

import java.util.Objects;

/**
 * A validated interaction posted to {@code POST /v1/interactions}, on its way to topic {@code
 * interactions}. Field meanings follow the {@code Interaction} Avro schema.
 *
 * @param user the user id
 * @param item the item id
 * @param type one of the {@code InteractionType} symbols (VIEW, CLICK, CART, PURCHASE, RATING,
 *     OTHER)
 * @param weight strength of the signal, finite and &gt; 0
 * @param eventTime when it happened, epoch milliseconds
 */
public record InteractionEvent(
        String user, String item, String type, float weight, long eventTime) {
    /** Validates non-nullness (content is validated by the HTTP layer). */
    public InteractionEvent {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(type, "type");
    }
}
