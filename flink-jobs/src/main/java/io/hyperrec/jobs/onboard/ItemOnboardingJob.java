package io.hyperrec.jobs.onboard;

import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.KafkaRecordReader;
import io.hyperrec.jobs.online.OnlineUpdateJob;
import io.hyperrec.jobs.online.Rejected;
import io.hyperrec.jobs.serde.KafkaSinks;
import io.hyperrec.jobs.serde.LazyCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.WireFormat;
import io.hyperrec.schemas.avro.DeadLetter;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.EntityKind;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import io.hyperrec.schemas.avro.TagEdge;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ItemOnboardingJob: {@code items.new} → validate (bad records to {@code items.new.dlq}) →
 * enrich asynchronously ({@code AsyncDataStream.unorderedWaitWithRetry}: bounded capacity, the
 * offline path when the enrichment service fails or times out, see {@link EnrichFunction}) → {@code
 * items.enriched} → keyBy(item) → place in the live version's space ({@link PlaceFunction}) → an
 * {@code EmbeddingUpdate} of kind ITEM to {@code model.updates} (the model store serves the item at
 * once) and to {@code model.items} (the update job adds it to its item table).
 *
 * <p>Delivery is at-least-once like the update job's: a replayed item yields the same (version,
 * seq) placement, which the store drops as a duplicate; enrichment replays hit the tagger's reply
 * cache.
 */
public final class ItemOnboardingJob {
    private ItemOnboardingJob() {}

    /**
     * How the job reads, enriches and writes.
     *
     * @param bootstrapServers Kafka
     * @param groupId consumer group of the {@code items.new} source
     * @param enrichment the primary enrichment (the service over HTTP, or in process)
     * @param offline the offline enrichment, in process (offline tagger, local encoder)
     * @param timeout the async stage's limit per item, retries included; on expiry the offline path
     *     completes it
     * @param capacity items in flight per subtask
     * @param attempts attempts of the primary per item (1 = no retry)
     * @param retryDelay first delay between attempts (doubling, at most 10×)
     * @param decoder {@code items.new} values
     * @param versionDecoder {@code model.versions} values
     * @param enrichedEncoder {@code items.enriched} values
     * @param updateEncoder {@code model.updates} / {@code model.items} values
     * @param deadLetterEncoder {@code items.new.dlq} values
     */
    public record Settings(
            String bootstrapServers,
            String groupId,
            EnrichmentClientFactory enrichment,
            EnrichmentClientFactory offline,
            Duration timeout,
            int capacity,
            int attempts,
            Duration retryDelay,
            ItemValidator.Decoder decoder,
            OnlineUpdateJob.VersionDecoder versionDecoder,
            OnlineUpdateJob.Encoder<ItemEnriched> enrichedEncoder,
            OnlineUpdateJob.Encoder<EmbeddingUpdate> updateEncoder,
            OnlineUpdateJob.Encoder<DeadLetter> deadLetterEncoder)
            implements Serializable {
        public Settings {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
        }

        /**
         * Single-object Avro, 30 s per item, 64 in flight, 3 attempts from 200 ms.
         *
         * @param enrichment the primary enrichment
         * @param offline the offline enrichment
         */
        public static Settings defaults(
                String bootstrapServers,
                String groupId,
                EnrichmentClientFactory enrichment,
                EnrichmentClientFactory offline) {
            WireFormat f = WireFormat.SINGLE_OBJECT;
            RegistryConfig r = RegistryConfig.local();
            LazyCodec<ItemCreated> in = new LazyCodec<>(ItemCreated.class, f, r, Topics.ITEMS_NEW);
            LazyCodec<ModelPublished> versions =
                    new LazyCodec<>(ModelPublished.class, f, r, Topics.MODEL_VERSIONS);
            LazyCodec<ItemEnriched> enriched =
                    new LazyCodec<>(ItemEnriched.class, f, r, Topics.ITEMS_ENRICHED);
            LazyCodec<EmbeddingUpdate> updates =
                    new LazyCodec<>(EmbeddingUpdate.class, f, r, Topics.MODEL_UPDATES);
            LazyCodec<DeadLetter> dead =
                    new LazyCodec<>(DeadLetter.class, f, r, Topics.deadLetter(Topics.ITEMS_NEW));
            // Lambdas, not method references (see OnlineUpdateJob.Settings).
            return new Settings(
                    bootstrapServers,
                    groupId,
                    enrichment,
                    offline,
                    Duration.ofSeconds(30),
                    64,
                    3,
                    Duration.ofMillis(200),
                    bytes -> in.decode(bytes),
                    bytes -> versions.decode(bytes),
                    e -> enriched.encode(e),
                    u -> updates.encode(u),
                    d -> dead.encode(d));
        }
    }

    /** Retry the primary while what came back is the offline fallback of its failure. */
    private static final java.util.function.Predicate<java.util.Collection<EnrichedItem>>
            RETRY_FALLBACKS =
                    (java.util.function.Predicate<java.util.Collection<EnrichedItem>>
                                    & Serializable)
                            results -> results.stream().anyMatch(e -> e.retryable);

    /** The job's outputs. */
    public record Streams(
            DataStream<EnrichedItem> enriched,
            DataStream<ItemPlaced> placed,
            DataStream<Rejected> rejected) {}

    /** The logic on raw record streams (tests feed bounded ones). */
    public static Streams build(
            DataStream<KafkaRecord> itemsNew, DataStream<ControlEvent> versions, Settings s) {
        SingleOutputStreamOperator<NewItem> valid =
                itemsNew.process(new ItemValidator(s.decoder()))
                        .returns(TypeInformation.of(NewItem.class))
                        .name("validate-items")
                        .uid("validate-items");
        DataStream<Rejected> rejected = valid.getSideOutput(ItemValidator.REJECTED);
        long delay = s.retryDelay().toMillis();
        DataStream<EnrichedItem> enriched =
                AsyncDataStream.unorderedWaitWithRetry(
                                valid,
                                new EnrichFunction(s.enrichment(), s.offline(), s.timeout()),
                                s.timeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                s.capacity(),
                                new AsyncRetryStrategies
                                                        .ExponentialBackoffDelayRetryStrategyBuilder<
                                                EnrichedItem>(
                                                s.attempts() - 1, delay, 10 * delay, 2.0)
                                        .ifResult(RETRY_FALLBACKS)
                                        .build())
                        .returns(TypeInformation.of(EnrichedItem.class))
                        .name("enrich")
                        .uid("enrich");
        DataStream<ItemPlaced> placed =
                enriched.keyBy(e -> e.item)
                        .connect(versions.broadcast(PlaceFunction.VERSION))
                        .process(new PlaceFunction())
                        .returns(TypeInformation.of(ItemPlaced.class))
                        .name("place-items")
                        .uid("place-items");
        return new Streams(enriched, placed, rejected);
    }

    /** Adds the whole job, Kafka to Kafka, to {@code env}. */
    public static void addTo(StreamExecutionEnvironment env, Settings s) {
        KafkaSource<KafkaRecord> items =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(s.bootstrapServers())
                        .setTopics(Topics.ITEMS_NEW)
                        .setGroupId(s.groupId())
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new KafkaRecordReader())
                        .build();
        KafkaSource<KafkaRecord> versions =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(s.bootstrapServers())
                        .setTopics(Topics.MODEL_VERSIONS)
                        .setGroupId(s.groupId() + "-versions")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new KafkaRecordReader())
                        .build();
        OnlineUpdateJob.VersionDecoder vd = s.versionDecoder();
        DataStream<ControlEvent> control =
                env.fromSource(versions, WatermarkStrategy.noWatermarks(), "model.versions")
                        .uid("onboard-versions-source")
                        .setParallelism(1)
                        .flatMap(
                                (KafkaRecord r,
                                        org.apache.flink.util.Collector<ControlEvent> out) -> {
                                    ControlEvent e = OnlineUpdateJob.toControl(vd, r);
                                    if (e != null) {
                                        out.collect(e);
                                    }
                                })
                        .returns(TypeInformation.of(ControlEvent.class))
                        .setParallelism(1)
                        .name("decode-versions")
                        .uid("onboard-decode-versions");
        Streams streams =
                build(
                        env.fromSource(items, WatermarkStrategy.noWatermarks(), "items.new")
                                .uid("items-new-source"),
                        control,
                        s);
        String bs = s.bootstrapServers();
        OnlineUpdateJob.Encoder<ItemEnriched> ee = s.enrichedEncoder();
        streams.enriched()
                .sinkTo(
                        KafkaSinks.atLeastOnce(
                                bs,
                                (e, ctx, ts) ->
                                        new ProducerRecord<>(
                                                Topics.ITEMS_ENRICHED,
                                                key(e.item),
                                                KafkaSinks.encode(ee, toAvro(e)))))
                .name("items.enriched")
                .uid("enriched-sink");
        OnlineUpdateJob.Encoder<EmbeddingUpdate> ue = s.updateEncoder();
        for (String topic : List.of(Topics.MODEL_UPDATES, Topics.MODEL_ITEMS)) {
            streams.placed()
                    .sinkTo(
                            KafkaSinks.atLeastOnce(
                                    bs,
                                    (p, ctx, ts) ->
                                            new ProducerRecord<>(
                                                    topic,
                                                    key(p.item),
                                                    KafkaSinks.encode(ue, toAvro(p)))))
                    .name(topic)
                    .uid(topic + "-sink");
        }
        OnlineUpdateJob.Encoder<DeadLetter> de = s.deadLetterEncoder();
        streams.rejected()
                .sinkTo(
                        KafkaSinks.atLeastOnce(
                                bs,
                                (r, ctx, ts) ->
                                        new ProducerRecord<>(
                                                Topics.deadLetter(Topics.ITEMS_NEW),
                                                r.record.key,
                                                KafkaSinks.encode(de, OnlineUpdateJob.toAvro(r)))))
                .name("items.new.dlq")
                .uid("items-dlq-sink");
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** The Avro form of an enrichment. */
    public static ItemEnriched toAvro(EnrichedItem e) {
        List<TagEdge> edges = new ArrayList<>();
        for (int k = 0; k < e.edgeParents.size(); k++) {
            edges.add(new TagEdge(e.edgeParents.get(k), e.edgeChildren.get(k)));
        }
        List<Float> text = new ArrayList<>(e.text.length);
        for (float f : e.text) {
            text.add(f);
        }
        return ItemEnriched.newBuilder()
                .setItem(e.item)
                .setSummary(e.summary)
                .setTagLevels(e.levels)
                .setEdges(edges)
                .setTextEmbedding(text)
                .setTagger(e.tagger)
                .setTextEncoder(e.textEncoder)
                .setOffline(e.offline)
                .setFallbackReason(e.fallbackReason)
                .setEventTime(Instant.ofEpochMilli(e.eventTime))
                .build();
    }

    /** The Avro form of a placement. */
    public static EmbeddingUpdate toAvro(ItemPlaced p) {
        List<Float> v = new ArrayList<>(p.point.length);
        for (float f : p.point) {
            v.add(f);
        }
        return EmbeddingUpdate.newBuilder()
                .setKind(EntityKind.ITEM)
                .setId(p.item)
                .setVector(v)
                .setModelVersion(p.version)
                .setSeq(p.seq)
                .setSourceTime(
                        p.sourceTime == ItemPlaced.NO_SOURCE_TIME
                                ? null
                                : Instant.ofEpochMilli(p.sourceTime))
                .build();
    }
}
