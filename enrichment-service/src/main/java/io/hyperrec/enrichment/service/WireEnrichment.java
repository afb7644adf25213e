package io.hyperrec.enrichment.service;

import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagging;
import java.util.List;

/**
 * The JSON form of an {@link Enrichment}, written by the {@link EnrichmentServer} and read by the
 * {@link HttpEnrichmentClient}; Jackson binds it field by field in this order. The embedding is
 * written with each float's shortest decimal form and read back with {@link Float#parseFloat}
 * rounding, so it round-trips bit for bit.
 */
record WireEnrichment(
        String item,
        String summary,
        List<List<String>> levels,
        List<WireEdge> edges,
        String tagger,
        boolean offline,
        String fallbackReason,
        float[] embedding,
        String textEncoder,
        String contentHash,
        long taggingMillis,
        long embeddingMillis) {

    /** A parent to child edge. */
    record WireEdge(String parent, String child) {}

    static WireEnrichment of(Enrichment e) {
        Tagging t = e.tagging();
        return new WireEnrichment(
                e.item(),
                t.summary(),
                t.levels(),
                t.edges().stream().map(x -> new WireEdge(x.parent(), x.child())).toList(),
                t.tagger(),
                t.offline(),
                t.fallbackReason(),
                e.embedding(),
                e.textEncoder(),
                e.contentHash(),
                e.taggingMillis(),
                e.embeddingMillis());
    }

    /**
     * The enrichment.
     *
     * @throws NullPointerException or {@link IllegalArgumentException} naming the field, when a
     *     field is missing or invalid
     */
    Enrichment toEnrichment() {
        if (levels == null || edges == null) {
            throw new NullPointerException(levels == null ? "levels" : "edges");
        }
        Tagging t =
                new Tagging(
                        summary,
                        levels,
                        edges.stream().map(x -> new TagEdge(x.parent(), x.child())).toList(),
                        tagger,
                        offline,
                        fallbackReason);
        return new Enrichment(
                item, t, embedding, textEncoder, contentHash, taggingMillis, embeddingMillis);
    }
}
