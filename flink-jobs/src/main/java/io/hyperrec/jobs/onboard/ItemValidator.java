package io.hyperrec.jobs.onboard;

import io.hyperrec.jobs.online.InteractionValidator;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.Rejected;
import io.hyperrec.schemas.avro.ItemCreated;
import java.io.Serializable;
import java.util.HashMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and checks {@code items.new} records. Good ones continue as {@link NewItem}s; bad ones go
 * to the {@link #REJECTED} side output (and from there to {@code items.new.dlq}) with a reason
 * naming the field, the value and what was expected, counted in {@code deadLetters}.
 */
public final class ItemValidator extends ProcessFunction<KafkaRecord, NewItem> {
    private static final long serialVersionUID = 1L;

    /** Where rejected records go. */
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected-items") {};

    /** The longest title accepted. */
    public static final int MAX_TITLE = 1_000;

    /** The longest text accepted. */
    public static final int MAX_TEXT = 100_000;

    /** Decodes a record value; throws with a message saying what is wrong. */
    @FunctionalInterface
    public interface Decoder extends Serializable {
        /** The decoded record. */
        ItemCreated decode(byte[] value) throws Exception;
    }

    private final Decoder decoder;
    private transient Counter deadLetters;

    /** A validator decoding with {@code decoder}. */
    public ItemValidator(Decoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<NewItem> out) {
        String problem;
        ItemCreated in = null;
        if (record.value == null) {
            problem = "value is null (a tombstone); hide an item through the model store instead";
        } else {
            try {
                in = decoder.decode(record.value);
                problem = check(in);
            } catch (Exception e) {
                problem = "value is not an ItemCreated record: " + e.getMessage();
            }
        }
        if (problem != null) {
            deadLetters.inc();
            ctx.output(REJECTED, new Rejected(record, problem, System.currentTimeMillis()));
            return;
        }
        HashMap<String, String> attributes = new HashMap<>();
        in.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
        out.collect(
                new NewItem(
                        in.getItem(),
                        in.getTitle(),
                        in.getText(),
                        attributes,
                        in.getEventTime().toEpochMilli(),
                        record.timestamp));
    }

    /** What is wrong with a decoded record, or null when it is good. */
    public static String check(ItemCreated in) {
        String item = in.getItem();
        if (item.isBlank()) {
            return "item must be a non-blank id, got '" + item + "'";
        }
        if (item.length() > InteractionValidator.MAX_ID_LENGTH) {
            return "item must be at most "
                    + InteractionValidator.MAX_ID_LENGTH
                    + " characters, got "
                    + item.length();
        }
        if (item.chars().anyMatch(Character::isISOControl)) {
            return "item must not contain control characters, got '"
                    + item.replaceAll("\\p{Cntrl}", "?")
                    + "'";
        }
        if (in.getTitle().length() > MAX_TITLE) {
            return "title must be at most "
                    + MAX_TITLE
                    + " characters, got "
                    + in.getTitle().length();
        }
        if (in.getText().length() > MAX_TEXT) {
            return "text must be at most " + MAX_TEXT + " characters, got " + in.getText().length();
        }
        if (in.getTitle().isBlank() && in.getText().isBlank()) {
            return "item '" + item + "' has neither a title nor a text: nothing to enrich it from";
        }
        return null;
    }
}
