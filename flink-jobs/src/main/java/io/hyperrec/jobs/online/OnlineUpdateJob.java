package io.hyperrec.jobs.online;

import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.jobs.serde.KafkaSinks;
import io.hyperrec.jobs.serde.LazyCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.WireFormat;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ModelPublished;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The OnlineUpdateJob: {@code interactions} → validate (bad records to {@code interactions.dlq}) →
 * keyBy(user) → one Riemannian SGD step per interaction ({@link OnlineUpdateOperator}) → {@code
 * EmbeddingUpdate}s to {@code model.updates}; {@code model.versions} is the broadcast control
 * stream.
 *
 * <p><b>Delivery: at-least-once with idempotent upserts.</b> Exactly-once into Kafka would use
 * transactions that commit on checkpoints, so a consumer reading committed data would see an update
 * only after the next checkpoint: freshness would be bounded below by the checkpoint interval
 * (seconds), against our goal of a served top-K that changes within a second of the event. Instead
 * every update carries {@code (modelVersion, seq)}; after a failure the job restarts from its last
 * checkpoint and re-emits the updates since, with the same {@code (modelVersion, seq)} and — since
 * a user's step does not depend on how events were batched — the same point; the model store keeps
 * the greatest {@code (modelVersion, seq)} per user and drops the rest, so the replay changes
 * nothing. The same holds for the dead-letter topic: a replayed rejection is a duplicate with the
 * same source coordinates.
 */
public final class OnlineUpdateJob {
    private OnlineUpdateJob() {}

    /** Encodes a record value (Avro, in the configured wire format). */
    @FunctionalInterface
    public interface Encoder<T> extends Serializable {
        /** The value bytes. */
        byte[] encode(T record) throws Exception;
    }

    /** Decodes {@code model.versions} values. */
    @FunctionalInterface
    public interface VersionDecoder extends Serializable {
        /** The decoded record. */
        ModelPublished decode(byte[] value) throws Exception;
    }

    /** Decodes {@code model.items} values (item points onboarded since a version). */
    @FunctionalInterface
    public interface ItemDecoder extends Serializable {
        /** The decoded record. */
        EmbeddingUpdate decode(byte[] value) throws Exception;
    }

    /** How the job reads, computes and writes. */
    public record Settings(
            String bootstrapServers,
            String groupId,
            int partitions,
            OnlineConfig online,
            long flushIntervalMs,
            Duration logTtl,
            ControlEvent initialVersion,
            KernelsFactory kernels,
            InteractionValidator.Decoder interactionDecoder,
            VersionDecoder versionDecoder,
            ItemDecoder itemDecoder,
            Encoder<EmbeddingUpdate> updateEncoder,
            Encoder<DeadLetter> deadLetterEncoder,
            HashMap<Integer, Long> startOffsets)
            implements Serializable {

        /**
         * Settings with Avro single-object encoding and the CPU kernels.
         *
         * @param initialVersion the model version to start from
         */
        public static Settings defaults(
                String bootstrapServers, String groupId, ControlEvent initialVersion) {
            return defaults(
                    bootstrapServers,
                    groupId,
                    initialVersion,
                    WireFormat.SINGLE_OBJECT,
                    RegistryConfig.local());
        }

        /**
         * Settings that read either wire format and write {@code format}, with the CPU kernels.
         *
         * @param registry the schema registry of the Confluent format
         */
        public static Settings defaults(
                String bootstrapServers,
                String groupId,
                ControlEvent initialVersion,
                WireFormat format,
                RegistryConfig registry) {
            LazyCodec<Interaction> in =
                    new LazyCodec<>(Interaction.class, format, registry, Topics.INTERACTIONS);
            LazyCodec<ModelPublished> versions =
                    new LazyCodec<>(ModelPublished.class, format, registry, Topics.MODEL_VERSIONS);
            LazyCodec<EmbeddingUpdate> updates =
                    new LazyCodec<>(EmbeddingUpdate.class, format, registry, Topics.MODEL_UPDATES);
            LazyCodec<EmbeddingUpdate> items =
                    new LazyCodec<>(EmbeddingUpdate.class, format, registry, Topics.MODEL_ITEMS);
            LazyCodec<DeadLetter> dead =
                    new LazyCodec<>(
                            DeadLetter.class,
                            format,
                            registry,
                            Topics.deadLetter(Topics.INTERACTIONS));
            return new Settings(
                    bootstrapServers,
                    groupId,
                    1,
                    OnlineConfig.defaults(),
                    5,
                    Duration.ofDays(7),
                    initialVersion,
                    KernelsFactory.auto(false),
                    // Lambdas, not method references: javac deserialises serializable method
                    // references to the same generic method (LazyCodec::encode) by name and
                    // erased signature only, so after a trip through the job graph both encoders
                    // became the first one (a ClassCastException on the first dead letter).
                    bytes -> in.decode(bytes),
                    bytes -> versions.decode(bytes),
                    bytes -> items.decode(bytes),
                    u -> updates.encode(u),
                    d -> dead.encode(d),
                    null);
        }

        /** A copy with other kernels. */
        public Settings withKernels(KernelsFactory k) {
            return new Settings(
                    bootstrapServers,
                    groupId,
                    partitions,
                    online,
                    flushIntervalMs,
                    logTtl,
                    initialVersion,
                    k,
                    interactionDecoder,
                    versionDecoder,
                    itemDecoder,
                    updateEncoder,
                    deadLetterEncoder,
                    startOffsets);
        }

        /**
         * A copy that starts reading {@code interactions} at these offsets (per partition) when the
         * job has no checkpoint to restore: the snapshot offsets of the initial version, so that
         * the events it was trained on are not applied a second time.
         */
        public Settings withStartOffsets(Map<Integer, Long> offsets) {
            return new Settings(
                    bootstrapServers,
                    groupId,
                    partitions,
                    online,
                    flushIntervalMs,
                    logTtl,
                    initialVersion,
                    kernels,
                    interactionDecoder,
                    versionDecoder,
                    itemDecoder,
                    updateEncoder,
                    deadLetterEncoder,
                    new HashMap<>(offsets));
        }

        /** A copy for a topic with {@code n} partitions (start offsets are set per partition). */
        public Settings withPartitions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + n);
            }
            return new Settings(
                    bootstrapServers,
                    groupId,
                    n,
                    online,
                    flushIntervalMs,
                    logTtl,
                    initialVersion,
                    kernels,
                    interactionDecoder,
                    versionDecoder,
                    itemDecoder,
                    updateEncoder,
                    deadLetterEncoder,
                    startOffsets);
        }

        /** A copy with other update settings. */
        public Settings withOnline(OnlineConfig o) {
            return new Settings(
                    bootstrapServers,
                    groupId,
                    partitions,
                    o,
                    flushIntervalMs,
                    logTtl,
                    initialVersion,
                    kernels,
                    interactionDecoder,
                    versionDecoder,
                    itemDecoder,
                    updateEncoder,
                    deadLetterEncoder,
                    startOffsets);
        }
    }

    /** The streams {@link #build} produces. */
    public record Streams(DataStream<UserUpdate> updates, DataStream<Rejected> rejected) {}

    /** The job's logic between its sources and sinks (tests feed bounded streams). */
    public static Streams build(
            DataStream<KafkaRecord> interactions, DataStream<ControlEvent> control, Settings s) {
        SingleOutputStreamOperator<UserEvent> valid =
                interactions
                        .process(new InteractionValidator(s.interactionDecoder()))
                        .returns(TypeInformation.of(UserEvent.class))
                        // Chained to the source: a rebalance here would reorder a user's events
                        // (Kafka keeps them in order within the user's partition).
                        .setParallelism(interactions.getParallelism())
                        .name("validate")
                        .uid("validate");
        DataStream<UserUpdate> updates =
                valid.keyBy(e -> e.user, TypeInformation.of(String.class))
                        .connect(control.broadcast())
                        .transform(
                                "online-update",
                                TypeInformation.of(UserUpdate.class),
                                new OnlineUpdateOperator(
                                        s.online(),
                                        s.flushIntervalMs(),
                                        s.logTtl(),
                                        s.initialVersion(),
                                        s.kernels()))
                        .uid("online-update");
        return new Streams(updates, valid.getSideOutput(InteractionValidator.REJECTED));
    }

    /** Adds the whole job, Kafka to Kafka, to {@code env}. */
    public static void addTo(StreamExecutionEnvironment env, Settings s) {
        KafkaSource<KafkaRecord> interactions =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(s.bootstrapServers())
                        .setTopics(Topics.INTERACTIONS)
                        .setGroupId(s.groupId())
                        .setStartingOffsets(startingOffsets(s))
                        .setDeserializer(new KafkaRecordReader())
                        .build();
        KafkaSource<KafkaRecord> versions =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(s.bootstrapServers())
                        // The version pointers and the points of items onboarded since.
                        .setTopics(Topics.MODEL_VERSIONS, Topics.MODEL_ITEMS)
                        .setGroupId(s.groupId() + "-versions")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new KafkaRecordReader())
                        .build();
        DataStream<KafkaRecord> in =
                env.fromSource(interactions, WatermarkStrategy.noWatermarks(), "interactions")
                        .uid("interactions-source");
        VersionDecoder vd = s.versionDecoder();
        ItemDecoder id = s.itemDecoder();
        DataStream<ControlEvent> control =
                env.fromSource(
                                versions,
                                WatermarkStrategy.noWatermarks(),
                                "model.versions + model.items")
                        .uid("versions-source")
                        .setParallelism(1)
                        .flatMap(
                                (KafkaRecord r,
                                        org.apache.flink.util.Collector<ControlEvent> out) -> {
                                    ControlEvent e =
                                            Topics.MODEL_ITEMS.equals(r.topic)
                                                    ? toItemControl(id, r)
                                                    : toControl(vd, r);
                                    if (e != null) {
                                        out.collect(e);
                                    }
                                })
                        .returns(TypeInformation.of(ControlEvent.class))
                        .setParallelism(1)
                        .name("decode-versions")
                        .uid("decode-versions");
        Streams streams = build(in, control, s);
        Encoder<EmbeddingUpdate> ue = s.updateEncoder();
        streams.updates()
                .sinkTo(
                        atLeastOnce(
                                s,
                                (u, ctx, ts) ->
                                        new ProducerRecord<>(
                                                Topics.MODEL_UPDATES,
                                                u.user.getBytes(StandardCharsets.UTF_8),
                                                encode(ue, toAvro(u)))))
                .name("model.updates")
                .uid("updates-sink");
        Encoder<DeadLetter> de = s.deadLetterEncoder();
        streams.rejected()
                .sinkTo(
                        atLeastOnce(
                                s,
                                (r, ctx, ts) ->
                                        new ProducerRecord<>(
                                                Topics.deadLetter(Topics.INTERACTIONS),
                                                r.record.key,
                                                encode(de, toAvro(r)))))
                .name("interactions.dlq")
                .uid("dlq-sink");
    }

    /** A Kafka sink with the job's delivery guarantee (see the class comment). */
    private static <T> KafkaSink<T> atLeastOnce(
            Settings s, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSinks.atLeastOnce(s.bootstrapServers(), serializer);
    }

    private static OffsetsInitializer startingOffsets(Settings s) {
        if (s.startOffsets() == null || s.startOffsets().isEmpty()) {
            return OffsetsInitializer.earliest();
        }
        Map<TopicPartition, Long> m = new HashMap<>();
        for (int p = 0; p < s.partitions(); p++) {
            m.put(new TopicPartition(Topics.INTERACTIONS, p), s.startOffsets().getOrDefault(p, 0L));
        }
        return OffsetsInitializer.offsets(m);
    }

    /** The control event of a {@code model.versions} record, or null (logged) when unreadable. */
    public static ControlEvent toControl(VersionDecoder decoder, KafkaRecord r) {
        try {
            ModelPublished p = decoder.decode(r.value);
            Map<Integer, Long> offsets = new HashMap<>();
            for (Map.Entry<String, Long> e : p.getSnapshotOffsets().entrySet()) {
                offsets.put(Integer.parseInt(e.getKey()), e.getValue());
            }
            return ControlEvent.version(p.getVersion(), p.getLocation(), offsets);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(OnlineUpdateJob.class)
                    .warn("skipping unreadable model.versions record {}: {}", r, e.toString());
            return null;
        }
    }

    /** The control event of a {@code model.items} record, or null (logged) when unreadable. */
    static ControlEvent toItemControl(ItemDecoder decoder, KafkaRecord r) {
        try {
            EmbeddingUpdate u = decoder.decode(r.value);
            if (u.getKind() != EntityKind.ITEM) {
                throw new IllegalArgumentException("expected kind ITEM, got " + u.getKind());
            }
            float[] point = new float[u.getVector().size()];
            for (int j = 0; j < point.length; j++) {
                point[j] = u.getVector().get(j);
            }
            return ControlEvent.item(u.getModelVersion(), u.getId(), point);
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(OnlineUpdateJob.class)
                    .warn("skipping unreadable model.items record {}: {}", r, e.toString());
            return null;
        }
    }

    /** The Avro form of an update. */
    public static EmbeddingUpdate toAvro(UserUpdate u) {
        List<Float> v = new ArrayList<>(u.point.length);
        for (float f : u.point) {
            v.add(f);
        }
        return EmbeddingUpdate.newBuilder()
                .setKind(EntityKind.USER)
                .setId(u.user)
                .setVector(v)
                .setModelVersion(u.version)
                .setSeq(u.seq)
                .setSourceTime(Instant.ofEpochMilli(u.sourceTime))
                .build();
    }

    /** The Avro form of a rejection. */
    public static DeadLetter toAvro(Rejected r) {
        return DeadLetter.newBuilder()
                .setReason(r.reason)
                .setOriginal(ByteBuffer.wrap(r.record.value == null ? new byte[0] : r.record.value))
                .setOriginalKey(r.record.key == null ? null : ByteBuffer.wrap(r.record.key))
                .setTopic(r.record.topic)
                .setPartition(r.record.partition)
                .setOffset(r.record.offset)
                .setFailedAt(Instant.ofEpochMilli(r.failedAt))
                .build();
    }

    private static <T> byte[] encode(Encoder<T> encoder, T record) {
        return KafkaSinks.encode(encoder, record);
    }
}
