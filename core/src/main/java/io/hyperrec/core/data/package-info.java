/**
 * Datasets for hyperrec: reading, splitting, generating and writing user&ndash;item interactions
 * with optional tag hierarchies and item text.
 *
 * <p>How the pieces fit:
 *
 * <ul>
 *   <li>{@link io.hyperrec.core.data.IdMap} maps the string ids of the files (user, item and tag
 *       tokens) to dense indices {@code 0..n-1}; canonical integer ids keep their numeric order (so
 *       index == id for 0-based data such as hyperllm-beauty), other ids keep their order of first
 *       appearance.
 *   <li>{@link io.hyperrec.core.data.Interactions} is an immutable CSR 0/1 matrix over those
 *       indices; a {@link io.hyperrec.core.data.Dataset} holds train, validation and test matrices
 *       over one user map and one item map, plus an optional {@link io.hyperrec.core.data.TagGraph}
 *       (item&rarr;tag and tag&ndash;tag edges, optional levels) and an optional {@link
 *       io.hyperrec.core.data.ItemCatalog} (title, text and category path per item, for a text
 *       encoder).
 *   <li>{@link io.hyperrec.core.data.RecboleReader} reads a directory of RecBole atomic files
 *       ({@code NAME.train/valid/test.inter} or {@code NAME.inter}, {@code NAME.tag}, {@code
 *       NAME.kg}, {@code NAME.item}) and raw float32 matrices, and writes datasets back in the same
 *       format. A {@code NAME.inter} without a benchmark split is split per user by {@link
 *       io.hyperrec.core.data.Split} ({@code RANDOM_811} as in the HyperLLM paper, or {@code
 *       LEAVE_ONE_OUT} by timestamp); {@link io.hyperrec.core.data.ReadOptions} carries the name,
 *       split and seed. Malformed files raise {@link io.hyperrec.core.data.DatasetFormatException}
 *       naming file, line and offending text.
 *   <li>{@link io.hyperrec.core.data.SyntheticDataset} generates, from a {@link
 *       io.hyperrec.core.data.SyntheticConfig}, a deterministic dataset with a readable tag
 *       taxonomy, item texts, users with preferred subtrees and Zipf popularity, either as a {@code
 *       Dataset} or as a time-ordered event stream for replays.
 * </ul>
 *
 * <p>All public types are immutable (builders excepted) and safe to share between threads. The
 * package depends on the JDK and slf4j only: no Flink, Kafka, Avro or RocksDB.
 */
package io.hyperrec.core.data;
