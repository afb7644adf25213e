/**
 * Incremental (per-interaction) updates of user embeddings against a fixed item table: the math the
 * streaming OnlineUpdateJob runs between retrains, micro-batched through {@link
 * io.hyperrec.core.kernel.Kernels} so that the same code runs on CPU and GPU.
 */
package io.hyperrec.core.online;
