/**
 * The Avro records of hyperrec's Kafka topics and how they go over the wire.
 *
 * <p>How the pieces fit:
 *
 * <ul>
 *   <li>{@code io.hyperrec.schemas.avro}: the SpecificRecord classes generated from {@code
 *       src/main/avro}; {@link io.hyperrec.schemas.Topics} names the topics they travel on.
 *   <li>{@link io.hyperrec.schemas.AvroCodec}: record ↔ value bytes in one {@link
 *       io.hyperrec.schemas.WireFormat}: Avro single-object encoding (default) or the Confluent
 *       wire format, or both for reading ({@link io.hyperrec.schemas.AvroCodec#detecting}).
 *   <li>{@link io.hyperrec.schemas.SchemaRegistry}: schema ids for the Confluent format, in process
 *       ({@link io.hyperrec.schemas.LocalSchemaRegistry}) or over the Confluent REST API ({@link
 *       io.hyperrec.schemas.RestSchemaRegistry}); {@link io.hyperrec.schemas.RegistryConfig} is the
 *       serializable description of either that Flink jobs carry.
 *   <li>{@link io.hyperrec.schemas.SchemaHistory}: every released schema version, which decoders
 *       resolve old data with and tests check compatibility against.
 *   <li>Errors: {@link io.hyperrec.schemas.MalformedRecordException} for bad bytes (a dead-letter
 *       reason), {@link io.hyperrec.schemas.SchemaRegistryException} for registry trouble (fail and
 *       restart), both {@link io.hyperrec.schemas.SchemaException}s.
 * </ul>
 *
 * Depends on Avro (and Jackson, through Avro) only.
 */
package io.hyperrec.schemas;
