/**
 * The embedded runtime's infrastructure: a real Kafka broker and a real Flink cluster in the
 * launcher's JVM, for {@code hyperrec demo} and the integration tests. Nothing here is a mock.
 *
 * <ul>
 *   <li>{@link io.hyperrec.app.runtime.EmbeddedKafka}: one KRaft node (controller and broker) run
 *       by Kafka's {@code KafkaClusterTestKit}; persistent or temporary log directory; creates
 *       hyperrec's topics idempotently.
 *   <li>{@link io.hyperrec.app.runtime.EmbeddedFlink}: a {@code MiniCluster} with the RocksDB state
 *       backend, incremental checkpoints retained on cancellation, environments that submit to it,
 *       and the job controls a fault-injection test needs (cancel, await a checkpoint, find the
 *       last retained checkpoint, restore from it, savepoints).
 *   <li>{@link io.hyperrec.app.runtime.RuntimeLogging}: WARN by default for both, through the app's
 *       slf4j-simple binding.
 *   <li>{@link io.hyperrec.app.runtime.RuntimeCheckCommand}: the hidden {@code hyperrec
 *       runtime-check} that exercises all of it from the shaded jar and prints timings.
 * </ul>
 *
 * <p>Start Kafka, then Flink; close Flink, then Kafka (try-with-resources in that nesting does
 * both). Both keep to one {@code kafka-clients} version (4.2.0) and one RocksDB JNI (Flink's {@code
 * frocksdbjni}), see ARCHITECTURE.md, "Known constraints".
 */
package io.hyperrec.app.runtime;
