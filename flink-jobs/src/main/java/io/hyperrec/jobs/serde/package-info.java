/**
 * Kafka value (de)serialization for the Flink jobs, over the wire formats of {@code
 * io.hyperrec.schemas}.
 *
 * <p>{@link io.hyperrec.jobs.serde.AvroSerdes} is the entry point: it returns Flink
 * (de)serialization schemas for a record class and a {@link io.hyperrec.schemas.WireFormat}.
 * Single-object encoding goes through {@link io.hyperrec.schemas.AvroCodec}; the Confluent format
 * goes through flink-avro's registry schemas with {@link
 * io.hyperrec.jobs.serde.RegistrySchemaCoder} (created by {@link
 * io.hyperrec.jobs.serde.RegistrySchemaCoderProvider}), our stand-in for Confluent's coder. All of
 * them are serializable and carry a {@link io.hyperrec.schemas.RegistryConfig} rather than a
 * registry, which is opened on the task managers.
 *
 * <p>Decoding failures are {@link io.hyperrec.schemas.MalformedRecordException}s whose message is
 * meant for the {@code reason} of a {@link io.hyperrec.schemas.avro.DeadLetter}.
 */
package io.hyperrec.jobs.serde;
