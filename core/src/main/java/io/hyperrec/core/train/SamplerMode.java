package io.hyperrec.core.train;

/** How training triples are drawn (HYPERLLM.md, "Optimiser, sampling, schedule"). */
public enum SamplerMode {
    /**
     * Reproduces the reference sampler: one shuffle at start, full batches only, each distinct
     * batch used {@code repeat} times in a row (the reference forks 5 workers with one seed, whose
     * interleaving in its queue lets an epoch see about 45% of the pairs: repeat 2 by default), and
     * tag–tag anchors from the first half of the adjacency's non-zeros only.
     */
    FAITHFUL,
    /** A shuffled single pass over every training pair per epoch. */
    CLEAN
}
