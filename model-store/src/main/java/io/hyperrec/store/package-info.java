/**
 * The model store: RocksDB (through Flink's frocksdbjni) for training checkpoints now, and for
 * versioned published models and serving in the streaming issue. Bytes at the bottom, types on top;
 * every native object is owned and closed in a documented order.
 */
package io.hyperrec.store;
