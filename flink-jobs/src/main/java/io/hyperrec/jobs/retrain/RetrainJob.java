package io.hyperrec.jobs.retrain;

import io.hyperrec.core.data.Split;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.jobs.online.InteractionValidator;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.KafkaRecordReader;
import io.hyperrec.jobs.online.KernelsFactory;
import io.hyperrec.jobs.serde.LazyCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.Topics;
import io.hyperrec.schemas.WireFormat;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemEnriched;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The RetrainJob: reads {@code interactions} (and, when configured, {@code items.enriched}: tags
 * and text embeddings) from the earliest offsets to the end offsets at its start (a bounded
 * KafkaSource), trains a new version with the HyperLLM trainer ({@link RetrainOperator}), gates it
 * against the live version and writes its snapshot. Publishing the accepted version (to the model
 * store and {@code model.versions}) is the caller's, so that the job itself has no side effect a
 * rerun could duplicate.
 */
public final class RetrainJob {
    private RetrainJob() {}

    /** How a retrain reads, trains and gates. */
    public record Settings(
            String bootstrapServers,
            String modelsDir,
            TrainConfig train,
            Split split,
            long splitSeed,
            double tolerance,
            KernelsFactory kernels,
            CheckpointStoreFactory checkpoints,
            InteractionValidator.Decoder decoder,
            EnrichedDecoder enriched)
            implements Serializable {
        /** The same settings without reading {@code items.enriched} (no tags, no text). */
        public Settings withoutEnrichments() {
            return new Settings(
                    bootstrapServers,
                    modelsDir,
                    train,
                    split,
                    splitSeed,
                    tolerance,
                    kernels,
                    checkpoints,
                    decoder,
                    null);
        }
    }

    /** Decodes an {@code items.enriched} record. */
    public interface EnrichedDecoder extends Serializable {
        /** The decoded enrichment. */
        ItemEnriched decode(byte[] value) throws Exception;
    }

    /** The job's logic on a stream of raw records (tests feed a bounded one). */
    public static DataStream<RetrainResult> build(
            DataStream<KafkaRecord> interactions,
            Settings s,
            long version,
            String liveLocation,
            Map<Integer, Long> liveSnapshot) {
        return interactions
                .transform(
                        "retrain-v" + version,
                        TypeInformation.of(RetrainResult.class),
                        new RetrainOperator(s, version, liveLocation, liveSnapshot))
                .setParallelism(1)
                .uid("retrain");
    }

    /** The whole bounded job: Kafka {@code interactions} up to now → a trained version. */
    public static DataStream<RetrainResult> addTo(
            StreamExecutionEnvironment env,
            Settings s,
            long version,
            String liveLocation,
            Map<Integer, Long> liveSnapshot) {
        KafkaSource<KafkaRecord> source =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(s.bootstrapServers())
                        .setTopics(
                                s.enriched() == null
                                        ? List.of(Topics.INTERACTIONS)
                                        : List.of(Topics.INTERACTIONS, Topics.ITEMS_ENRICHED))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new KafkaRecordReader())
                        .build();
        return build(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "interactions (bounded)")
                        .uid("retrain-source"),
                s,
                version,
                liveLocation,
                liveSnapshot);
    }

    /** A decoder of {@code items.enriched} in both wire formats. */
    public static EnrichedDecoder enrichedDecoder(RegistryConfig registry) {
        LazyCodec<ItemEnriched> codec =
                new LazyCodec<>(
                        ItemEnriched.class,
                        WireFormat.SINGLE_OBJECT,
                        registry,
                        Topics.ITEMS_ENRICHED);
        return bytes -> codec.decode(bytes);
    }

    /** A decoder of both wire formats (Confluent ids resolved through {@code registry}). */
    public static InteractionValidator.Decoder decoder(RegistryConfig registry) {
        LazyCodec<Interaction> codec =
                new LazyCodec<>(
                        Interaction.class, WireFormat.SINGLE_OBJECT, registry, Topics.INTERACTIONS);
        return bytes -> codec.decode(bytes);
    }
}
