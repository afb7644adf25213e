package io.hyperrec.core.train;

/** The four model variants of the HyperLLM paper's ablation. */
public enum Variant {
    /** HGCF on interactions only, random initialisation. */
    BASE(false, false),
    /** Adds the tag view and contrastive alignment (structural information). */
    STRUCTURAL(true, false),
    /** Initialises users and items from the phase-1 semantic outputs. */
    SEMANTIC(false, true),
    /** Both: phase-1 initialisation and the tag view (the full HyperLLM). */
    HYPERLLM(true, true);

    private final boolean usesTags;
    private final boolean usesPhase1;

    Variant(boolean usesTags, boolean usesPhase1) {
        this.usesTags = usesTags;
        this.usesPhase1 = usesPhase1;
    }

    /** Whether the variant trains the tag view and the contrastive term. */
    public boolean usesTags() {
        return usesTags;
    }

    /** Whether the variant starts from phase-1 semantic vectors. */
    public boolean usesPhase1() {
        return usesPhase1;
    }
}
