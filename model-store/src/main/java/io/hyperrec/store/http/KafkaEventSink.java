package io.hyperrec.store.http;

import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ItemCreated;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Produces posted events to Kafka: interactions to {@code interactions} keyed by user, new items to
 * {@code items.new} keyed by item, values in Avro single-object encoding (through the encoders
 * given, so the wire format can be swapped like the ingest's decoders).
 *
 * <p>A send waits for the broker's acknowledgement (up to {@code sendTimeout}), so that {@code 202
 * Accepted} means the event is in Kafka; otherwise {@link EventSinkException}. The producer is
 * owned by the caller. Thread-safe (Kafka producers are).
 */
public final class KafkaEventSink implements EventSink {
    private final Producer<byte[], byte[]> producer;
    private final Duration sendTimeout;
    private final Function<Interaction, byte[]> interactionEncoder;
    private final Function<ItemCreated, byte[]> itemEncoder;

    /**
     * A sink with the generated classes' Avro single-object encoders.
     *
     * @param producer the producer (owned by the caller)
     * @param sendTimeout how long a send waits for the acknowledgement
     */
    public KafkaEventSink(Producer<byte[], byte[]> producer, Duration sendTimeout) {
        this(producer, sendTimeout, KafkaEventSink::singleObject, KafkaEventSink::singleObject);
    }

    /**
     * A sink with given encoders.
     *
     * @param producer the producer (owned by the caller)
     * @param sendTimeout how long a send waits for the acknowledgement; positive
     * @param interactionEncoder encodes an {@code Interaction} value (e.g. {@code
     *     AvroCodec::encode} of the schemas module)
     * @param itemEncoder encodes an {@code ItemCreated} value
     */
    public KafkaEventSink(
            Producer<byte[], byte[]> producer,
            Duration sendTimeout,
            Function<Interaction, byte[]> interactionEncoder,
            Function<ItemCreated, byte[]> itemEncoder) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.sendTimeout = Objects.requireNonNull(sendTimeout, "sendTimeout");
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("sendTimeout must be positive, got " + sendTimeout);
        }
        this.interactionEncoder = Objects.requireNonNull(interactionEncoder, "interactionEncoder");
        this.itemEncoder = Objects.requireNonNull(itemEncoder, "itemEncoder");
    }

    @Override
    public void sendInteraction(InteractionEvent e) {
        Interaction value =
                Interaction.newBuilder()
                        .setUser(e.user())
                        .setItem(e.item())
                        .setType(InteractionType.valueOf(e.type()))
                        .setWeight(e.weight())
                        .setEventTime(Instant.ofEpochMilli(e.eventTime()))
                        .build();
        send(Topics.INTERACTIONS, e.user(), interactionEncoder.apply(value));
    }

    @Override
    public void sendItem(NewItemEvent e) {
        ItemCreated value =
                ItemCreated.newBuilder()
                        .setItem(e.item())
                        .setTitle(e.title())
                        .setText(e.text())
                        .setAttributes(e.attributes())
                        .setEventTime(Instant.ofEpochMilli(e.eventTime()))
                        .build();
        send(Topics.ITEMS_NEW, e.item(), itemEncoder.apply(value));
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EventSinkException(
                    "cannot send to topic '" + topic + "' with key '" + key + "'", e.getCause());
        } catch (TimeoutException e) {
            throw new EventSinkException(
                    "no acknowledgement from topic '"
                            + topic
                            + "' for key '"
                            + key
                            + "' within "
                            + sendTimeout,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventSinkException(
                    "interrupted while sending to topic '" + topic + "' with key '" + key + "'", e);
        } catch (KafkaException e) {
            throw new EventSinkException(
                    "cannot send to topic '" + topic + "' with key '" + key + "'", e);
        }
    }

    private static byte[] singleObject(Interaction i) {
        try {
            return bytes(i.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + i, e);
        }
    }

    private static byte[] singleObject(ItemCreated i) {
        try {
            return bytes(i.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + i, e);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
