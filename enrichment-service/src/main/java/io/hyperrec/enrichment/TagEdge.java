package io.hyperrec.enrichment;

import java.util.Objects;

/**
 * A parent to child edge between tags of adjacent levels.
 *
 * @param parent a tag of level {@code l}
 * @param child a tag of level {@code l + 1}
 */
public record TagEdge(String parent, String child) {
    public TagEdge {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(child, "child");
    }
}
