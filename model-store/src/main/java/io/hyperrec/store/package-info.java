/**
 * The model store: every published model version and the embedding upserts between retrains in
 * RocksDB (through Flink's frocksdbjni, the one RocksDB JNI on the classpath), served top-k from
 * memory; and the training checkpoints of the retrain ({@link
 * io.hyperrec.store.RocksCheckpointStore}).
 *
 * <p>How the pieces fit: a retrain calls {@link io.hyperrec.store.ModelStore#publish}, which
 * exports the version's {@code TrainedModel} snapshot (what the streaming job's TaskManagers load)
 * and flips the served version atomically; the retrain then emits {@code ModelPublished}. {@link
 * io.hyperrec.store.ingest.ModelStoreIngest} feeds upserts, versions, interactions and item
 * metadata from Kafka; {@link io.hyperrec.store.http.ServingServer} answers HTTP. Scoring is {@code
 * io.hyperrec.core.model.LorentzScorer}, the same code evaluation and the streaming job use. Bytes
 * at the bottom ({@code Keys}), types on top; every native object is owned and closed in a
 * documented order.
 */
package io.hyperrec.store;
