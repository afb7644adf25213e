package io.hyperrec.store.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.InteractionType;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.store.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaEventSinkTest {

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(
                autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void producesInteractionsKeyedByUserAsAvroSingleObjects() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        KafkaEventSink sink = new KafkaEventSink(producer, Duration.ofSeconds(5));

        sink.sendInteraction(new InteractionEvent("u7", "i3", "PURCHASE", 2.0f, 1234));

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("interactions");
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("u7");
        Interaction value = Interaction.getDecoder().decode(sent.value());
        assertThat(value.getUser()).isEqualTo("u7");
        assertThat(value.getItem()).isEqualTo("i3");
        assertThat(value.getType()).isEqualTo(InteractionType.PURCHASE);
        assertThat(value.getWeight()).isEqualTo(2.0f);
        assertThat(value.getEventTime()).isEqualTo(Instant.ofEpochMilli(1234));
    }

    @Test
    void producesNewItemsKeyedByItem() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(true);
        new KafkaEventSink(producer, Duration.ofSeconds(5))
                .sendItem(new NewItemEvent("i9", "Kettle", "Steel.", Map.of("brand", "Acme"), 99));

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("items.new");
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("i9");
        ItemCreated value = ItemCreated.getDecoder().decode(sent.value());
        assertThat(value.getTitle()).isEqualTo("Kettle");
        assertThat(value.getText()).isEqualTo("Steel.");
        assertThat(value.getAttributes()).containsEntry("brand", "Acme");
        assertThat(value.getEventTime()).isEqualTo(Instant.ofEpochMilli(99));
    }

    @Test
    void aFailedSendNamesTheTopicAndKey() {
        MockProducer<byte[], byte[]> producer = producer(false);
        KafkaEventSink sink = new KafkaEventSink(producer, Duration.ofSeconds(10));
        CompletableFuture<Void> sending =
                CompletableFuture.runAsync(
                        () ->
                                sink.sendInteraction(
                                        new InteractionEvent("u1", "i1", "VIEW", 1f, 1)));
        Await.until("the record reaches the producer", () -> producer.history().size() == 1);

        producer.errorNext(new TimeoutException("broker down"));

        assertThatThrownBy(sending::join)
                .hasCauseInstanceOf(EventSinkException.class)
                .cause()
                .hasMessage("cannot send to topic 'interactions' with key 'u1': broker down");
    }

    @Test
    void rejectsANonPositiveTimeout() {
        assertThatThrownBy(() -> new KafkaEventSink(producer(true), Duration.ZERO))
                .hasMessage("sendTimeout must be positive, got PT0S");
    }
}
