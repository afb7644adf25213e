package io.hyperrec.enrichment;

import java.util.List;
import java.util.Objects;

/**
 * The enrichment of one item by a {@link Tagger}: a summary, exactly three levels of tags (level 0
 * the most general), parent to child edges between adjacent levels, and who produced it.
 *
 * <p>A value of this type is not validated by construction; {@code TaggingValidator} checks the
 * schema rules (three levels, no tag on two levels, edges only between adjacent levels and only
 * among the generated tags, length and character limits) for every tagger's output.
 *
 * @param summary a one or two sentence summary of the item
 * @param levels three lists of tags, most general first
 * @param edges parent to child edges
 * @param tagger the tagger and model that produced it, e.g. {@code llm:qwen2.5-7b} or {@code
 *     offline:taxonomy}
 * @param offline true when produced by the offline tagger (no LLM was asked or the LLM failed)
 * @param fallbackReason why the offline path was taken, or null when it was not a fallback
 */
public record Tagging(
        String summary,
        List<List<String>> levels,
        List<TagEdge> edges,
        String tagger,
        boolean offline,
        String fallbackReason) {
    /** The number of tag levels every tagging has. */
    public static final int LEVELS = 3;

    public Tagging {
        Objects.requireNonNull(summary, "summary");
        levels = levels.stream().map(List::copyOf).toList();
        edges = List.copyOf(edges);
        Objects.requireNonNull(tagger, "tagger");
    }

    /** This tagging marked as an offline fallback for {@code reason}. */
    public Tagging asFallback(String reason) {
        return new Tagging(summary, levels, edges, tagger, true, reason);
    }
}
