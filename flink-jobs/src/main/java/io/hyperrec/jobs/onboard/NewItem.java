package io.hyperrec.jobs.onboard;

import java.util.HashMap;

/** A validated {@code items.new} record on its way to enrichment (a Flink POJO). */
public class NewItem {
    /** Item id. */
    public String item;

    /** Title. */
    public String title;

    /** Free text. */
    public String text;

    /** Further fields (brand, category path, …). */
    public HashMap<String, String> attributes;

    /** Event time, epoch milliseconds. */
    public long eventTime;

    /** The Kafka append time of the record, epoch milliseconds (onboarding latency starts here). */
    public long kafkaTime;

    /** For Flink. */
    public NewItem() {}

    /** A new item. */
    public NewItem(
            String item,
            String title,
            String text,
            HashMap<String, String> attributes,
            long eventTime,
            long kafkaTime) {
        this.item = item;
        this.title = title;
        this.text = text;
        this.attributes = attributes;
        this.eventTime = eventTime;
        this.kafkaTime = kafkaTime;
    }

    @Override
    public String toString() {
        return "NewItem[" + item + ", '" + title + "']";
    }
}
