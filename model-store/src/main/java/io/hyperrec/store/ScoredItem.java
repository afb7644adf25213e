package io.hyperrec.store;

import java.util.Objects;

/**
 * An item with a score. In a personalised recommendation the score is −d²(user, item) (larger is
 * nearer, at most 0); in a popularity list and the non-personalised fallback it is the popularity
 * the retrain measured (e.g. interaction count; larger is more popular).
 *
 * @param item the item id, not null
 * @param score the score
 */
public record ScoredItem(String item, float score) {
    /** Validates. */
    public ScoredItem {
        Objects.requireNonNull(item, "item");
    }
}
