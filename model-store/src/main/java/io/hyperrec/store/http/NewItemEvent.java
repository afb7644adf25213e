package io.hyperrec.store.http;

import java.util.Map;
import java.util.Objects;

/**
 * A validated new catalogue item posted to {@code POST /v1/items}, on its way to topic {@code
 * items.new} (where onboarding tags and embeds it). Field meanings follow the {@code ItemCreated}
 * Avro schema.
 *
 * @param item the item id
 * @param title the display title
 * @param text free text (description, category path, brand); may be empty
 * @param attributes structured attributes; may be empty
 * @param eventTime when the item was created, epoch milliseconds
 */
public record NewItemEvent(
        String item, String title, String text, Map<String, String> attributes, long eventTime) {
    /** Validates non-nullness and copies. */
    public NewItemEvent {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        attributes = Map.copyOf(attributes);
    }
}
