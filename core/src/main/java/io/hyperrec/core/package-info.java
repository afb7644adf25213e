/**
 * The Flink-free heart of hyperrec: Lorentz geometry, the HGCF backbone, the two-phase HyperLLM
 * trainer, datasets, evaluation and the hot kernels behind {@code io.hyperrec.core.kernel.Kernels}.
 */
package io.hyperrec.core;
