package io.hyperrec.store.ingest;

import io.hyperrec.schemas.AvroCodec;
import io.hyperrec.schemas.RegistryConfig;
import io.hyperrec.schemas.SchemaRegistry;
import io.hyperrec.schemas.avro.EmbeddingUpdate;
import io.hyperrec.schemas.avro.Interaction;
import io.hyperrec.schemas.avro.ItemCreated;
import io.hyperrec.schemas.avro.ItemEnriched;
import io.hyperrec.schemas.avro.ModelPublished;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the ingest turns record values into Avro records, one function per topic. Kept behind plain
 * {@code Function<byte[], T>}s so that the wire format can change (e.g. to the Confluent wire
 * format codec being written in {@code schemas}) without touching the ingest. A function throws any
 * {@link RuntimeException} for bytes it cannot decode; the ingest rejects that record and carries
 * on.
 *
 * @param updates decodes {@code model.updates} values
 * @param versions decodes {@code model.versions} values
 * @param interactions decodes {@code interactions} values
 * @param itemsNew decodes {@code items.new} values
 * @param itemsEnriched decodes {@code items.enriched} values
 */
public record IngestDecoders(
        Function<byte[], EmbeddingUpdate> updates,
        Function<byte[], ModelPublished> versions,
        Function<byte[], Interaction> interactions,
        Function<byte[], ItemCreated> itemsNew,
        Function<byte[], ItemEnriched> itemsEnriched) {

    /** Validates. */
    public IngestDecoders {
        Objects.requireNonNull(updates, "updates");
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(interactions, "interactions");
        Objects.requireNonNull(itemsNew, "itemsNew");
        Objects.requireNonNull(itemsEnriched, "itemsEnriched");
    }

    /** Both wire formats; Confluent-framed values resolve their schema id locally. */
    public static IngestDecoders avroSingleObject() {
        return of(RegistryConfig.local());
    }

    /**
     * Decoders that read Avro single-object and Confluent-framed values alike (told apart by the
     * first byte), resolving Confluent schema ids through {@code registry}. Bad bytes raise {@code
     * MalformedRecordException}, whose message says what was wrong; the ingest rejects the record
     * with it.
     */
    public static IngestDecoders of(RegistryConfig registry) {
        SchemaRegistry r = registry.open();
        return new IngestDecoders(
                AvroCodec.detecting(EmbeddingUpdate.class, r)::decode,
                AvroCodec.detecting(ModelPublished.class, r)::decode,
                AvroCodec.detecting(Interaction.class, r)::decode,
                AvroCodec.detecting(ItemCreated.class, r)::decode,
                AvroCodec.detecting(ItemEnriched.class, r)::decode);
    }
}
