package io.hyperrec.jobs.onboard;

import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.service.Enrichment;
import java.util.ArrayList;
import java.util.List;

/**
 * An enriched new item (a Flink POJO): its tagging, its text embedding and where they came from.
 */
public class EnrichedItem {
    /** Item id. */
    public String item;

    /** Title (kept for the store's item metadata). */
    public String title;

    /** The tagger's summary. */
    public String summary;

    /** Tags per level, most general first. */
    public List<List<String>> levels;

    /** Parent of each edge. */
    public List<String> edgeParents;

    /** Child of each edge, parallel to {@link #edgeParents}. */
    public List<String> edgeChildren;

    /** The text embedding (L2-normalised). */
    public float[] text;

    /** The tagger that produced the tagging. */
    public String tagger;

    /** The text encoder. */
    public String textEncoder;

    /** Produced by the offline path. */
    public boolean offline;

    /** Why the offline path was taken, or null. */
    public String fallbackReason;

    /**
     * The primary enrichment failed and this is the offline fallback; the async stage may retry the
     * primary.
     */
    public boolean retryable;

    /** Event time of the item, epoch ms. */
    public long eventTime;

    /** Kafka append time of its {@code items.new} record, epoch ms. */
    public long kafkaTime;

    /** For Flink. */
    public EnrichedItem() {}

    /** The enrichment of {@code in}. */
    public static EnrichedItem of(NewItem in, Enrichment e, boolean retryable) {
        EnrichedItem out = new EnrichedItem();
        Tagging t = e.tagging();
        out.item = in.item;
        out.title = in.title;
        out.summary = t.summary();
        out.levels = new ArrayList<>();
        t.levels().forEach(l -> out.levels.add(new ArrayList<>(l)));
        out.edgeParents = new ArrayList<>();
        out.edgeChildren = new ArrayList<>();
        for (TagEdge edge : t.edges()) {
            out.edgeParents.add(edge.parent());
            out.edgeChildren.add(edge.child());
        }
        out.text = e.embedding();
        out.tagger = t.tagger();
        out.textEncoder = e.textEncoder();
        out.offline = t.offline();
        out.fallbackReason = t.fallbackReason();
        out.retryable = retryable;
        out.eventTime = in.eventTime;
        out.kafkaTime = in.kafkaTime;
        return out;
    }

    /** Every tag, all levels. */
    public List<String> allTags() {
        List<String> all = new ArrayList<>();
        levels.forEach(all::addAll);
        return all;
    }

    @Override
    public String toString() {
        return "EnrichedItem[" + item + ", " + tagger + (offline ? ", offline" : "") + "]";
    }
}
