package io.hyperrec.jobs.online;

import io.hyperrec.schemas.avro.Interaction;
import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and checks {@code interactions} records. Good ones continue as {@link UserEvent}s; bad
 * ones go to the {@link #REJECTED} side output (and from there to {@code interactions.dlq}) with a
 * reason naming the field, the offending value and what was expected, and are counted in the {@code
 * deadLetters} metric. The job never fails on a bad record and never drops a good one.
 */
public final class InteractionValidator extends ProcessFunction<KafkaRecord, UserEvent> {
    private static final long serialVersionUID = 1L;

    /** Where rejected records go. */
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected") {};

    /** The longest user or item id accepted. */
    public static final int MAX_ID_LENGTH = 256;

    /** Decodes a record value; throws with a message saying what is wrong. */
    @FunctionalInterface
    public interface Decoder extends Serializable {
        /** The decoded interaction. */
        Interaction decode(byte[] value) throws Exception;
    }

    private final Decoder decoder;
    private transient Counter deadLetters;
    private transient Counter accepted;

    /** A validator decoding with {@code decoder}. */
    public InteractionValidator(Decoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
        accepted = getRuntimeContext().getMetricGroup().counter("interactionsAccepted");
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<UserEvent> out) {
        String problem;
        Interaction in = null;
        if (record.value == null) {
            problem = "value is null (a tombstone); interactions are never deleted";
        } else {
            try {
                in = decoder.decode(record.value);
                problem = check(in);
            } catch (Exception e) {
                problem = "value is not an Interaction record: " + describe(e);
            }
        }
        if (problem != null) {
            deadLetters.inc();
            ctx.output(REJECTED, new Rejected(record, problem, System.currentTimeMillis()));
            return;
        }
        accepted.inc();
        out.collect(
                new UserEvent(
                        in.getUser(),
                        in.getItem(),
                        in.getWeight(),
                        in.getEventTime().toEpochMilli(),
                        record.partition,
                        record.offset,
                        record.timestamp));
    }

    /** Records rejected so far by this instance (the {@code deadLetters} metric). */
    long deadLetterCount() {
        return deadLetters.getCount();
    }

    /** The first problem of a decoded interaction, or null when it is fine. */
    public static String check(Interaction in) {
        String p = checkId("user", in.getUser());
        if (p == null) {
            p = checkId("item", in.getItem());
        }
        if (p == null && !(in.getWeight() > 0 && Float.isFinite(in.getWeight()))) {
            p = "field 'weight' must be a finite number > 0, got " + in.getWeight();
        }
        if (p == null && in.getEventTime() == null) {
            p = "field 'eventTime' is missing";
        }
        return p;
    }

    private static String checkId(String field, String value) {
        if (value == null || value.isBlank()) {
            return "field '" + field + "' must be a non-empty id, got '" + value + "'";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return "field '"
                    + field
                    + "' must be at most "
                    + MAX_ID_LENGTH
                    + " characters, got "
                    + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "field '"
                        + field
                        + "' must not contain control characters, got one at position "
                        + i;
            }
        }
        return null;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
