/**
 * Kafka ingest of the model store: {@link io.hyperrec.store.ingest.ModelStoreIngest} is the
 * consume–apply–sync–commit loop; {@link io.hyperrec.store.ingest.IngestDecoders} turns bytes into
 * Avro records (swappable wire format); {@link io.hyperrec.store.ingest.AvroAdapters} turns Avro
 * records into {@code core} types; {@link io.hyperrec.store.ingest.RejectedRecords} and {@link
 * io.hyperrec.store.ingest.KafkaDeadLetters} take bad input, which never stops the loop.
 */
package io.hyperrec.store.ingest;
