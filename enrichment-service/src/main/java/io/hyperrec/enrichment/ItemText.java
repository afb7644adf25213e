package io.hyperrec.enrichment;

import java.util.Map;
import java.util.Objects;

/**
 * What is known about a new item when it is enriched: the fields of an {@code ItemCreated} record.
 *
 * @param item the item id (non-blank)
 * @param title the title (non-null, may be empty)
 * @param text free text such as a description (non-null, may be empty)
 * @param attributes further fields such as {@code brand} or {@code category_path} (non-null)
 */
public record ItemText(String item, String title, String text, Map<String, String> attributes) {
    public ItemText {
        Objects.requireNonNull(item, "item");
        if (item.isBlank()) {
            throw new IllegalArgumentException("item id must not be blank");
        }
        title = Objects.requireNonNullElse(title, "");
        text = Objects.requireNonNullElse(text, "");
        attributes = Map.copyOf(Objects.requireNonNullElse(attributes, Map.of()));
    }

    /** The text an encoder or a tagger reads: title, attributes and text, one per line. */
    public String document() {
        StringBuilder b = new StringBuilder(title);
        attributes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append('\n').append(e.getKey()).append(": ").append(e.getValue()));
        if (!text.isEmpty()) {
            b.append('\n').append(text);
        }
        return b.toString();
    }
}
