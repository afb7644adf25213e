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
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The RetrainJob: reads {@code interactions} from the earliest offsets to the end offsets at its
 * start (a bounded KafkaSource), trains a new version with the HyperLLM trainer ({@link
 * RetrainOperator}), gates it against the live version and writes its snapshot. Publishing the
 * accepted version (to the model store and {@code model.versions}) is the caller's, so that the job
 * itself has no side effect a rerun could duplicate.
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
            InteractionValidator.Decoder decoder)
            implements Serializable {}

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
                        .setTopics(Topics.INTERACTIONS)
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

    /** A decoder of both wire formats (Confluent ids resolved through {@code registry}). */
    public static InteractionValidator.Decoder decoder(RegistryConfig registry) {
        LazyCodec<Interaction> codec =
                new LazyCodec<>(
                        Interaction.class, WireFormat.SINGLE_OBJECT, registry, Topics.INTERACTIONS);
        return bytes -> codec.decode(bytes);
    }
}
