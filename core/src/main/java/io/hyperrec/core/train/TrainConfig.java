package io.hyperrec.core.train;

import io.hyperrec.core.model.Backbone;
import io.hyperrec.core.model.Hgcf;
import java.util.Objects;

/**
 * Every setting of a training run, validated once. Defaults are the published HyperLLM settings for
 * Beauty (HYPERLLM.md): lr 1e-3, momentum 0.95, weight decay 5e-4, batches of 4096, τ = 0.5,
 * contrastive weight 0.01, 50 coordinates, patience 50, at most 500 epochs, seed 1234.
 */
public final class TrainConfig implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Variant variant;
    private final SamplerMode sampler;
    private final Backbone backbone;
    private final int epochs;
    private final int patience;
    private final long seed;
    private final float margin;
    private final float tagMargin;
    private final float lr;
    private final float momentum;
    private final float weightDecay;
    private final int batchSize;
    private final float tau;
    private final float contrastiveWeight;
    private final int dim;
    private final float initScale;
    private final int faithfulRepeat;
    private final int checkpointEvery;
    private final float maxNorm;

    private TrainConfig(Builder b) {
        this.variant = Objects.requireNonNull(b.variant, "variant");
        this.sampler = Objects.requireNonNull(b.sampler, "sampler");
        this.backbone = Objects.requireNonNull(b.backbone, "backbone");
        this.epochs = positive("epochs", b.epochs);
        this.patience = positive("patience", b.patience);
        this.seed = b.seed;
        this.margin = nonNegative("margin", b.margin);
        this.tagMargin = nonNegative("tagMargin", b.tagMargin);
        this.lr = positive("lr", b.lr);
        this.momentum = nonNegative("momentum", b.momentum);
        this.weightDecay = nonNegative("weightDecay", b.weightDecay);
        this.batchSize = positive("batchSize", b.batchSize);
        this.tau = positive("tau", b.tau);
        this.contrastiveWeight = nonNegative("contrastiveWeight", b.contrastiveWeight);
        this.dim = positive("dim", b.dim);
        if (dim < 2) {
            throw new IllegalArgumentException("dim must be at least 2, got " + dim);
        }
        this.initScale = positive("initScale", b.initScale);
        this.faithfulRepeat = positive("faithfulRepeat", b.faithfulRepeat);
        this.checkpointEvery = positive("checkpointEvery", b.checkpointEvery);
        this.maxNorm = nonNegative("maxNorm", b.maxNorm);
        if (momentum >= 1) {
            throw new IllegalArgumentException("momentum must be below 1, got " + momentum);
        }
    }

    private static int positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
        return v;
    }

    private static float positive(String name, float v) {
        if (!(v > 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + v);
        }
        return v;
    }

    private static float nonNegative(String name, float v) {
        if (!(v >= 0) || Float.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a non-negative number, got " + v);
        }
        return v;
    }

    /** A builder with the published defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.variant = variant;
        b.sampler = sampler;
        b.backbone = backbone;
        b.epochs = epochs;
        b.patience = patience;
        b.seed = seed;
        b.margin = margin;
        b.tagMargin = tagMargin;
        b.lr = lr;
        b.momentum = momentum;
        b.weightDecay = weightDecay;
        b.batchSize = batchSize;
        b.tau = tau;
        b.contrastiveWeight = contrastiveWeight;
        b.dim = dim;
        b.initScale = initScale;
        b.faithfulRepeat = faithfulRepeat;
        b.checkpointEvery = checkpointEvery;
        b.maxNorm = maxNorm;
        return b;
    }

    /** Model variant. */
    public Variant variant() {
        return variant;
    }

    /** Sampler mode. */
    public SamplerMode sampler() {
        return sampler;
    }

    /** Graph backbone. */
    public Backbone backbone() {
        return backbone;
    }

    /** Maximum number of epochs. */
    public int epochs() {
        return epochs;
    }

    /** Epochs without a validation improvement before stopping. */
    public int patience() {
        return patience;
    }

    /** Seed of every random choice. */
    public long seed() {
        return seed;
    }

    /** Margin of the user–item loss (m2; m1 in phase 1). */
    public float margin() {
        return margin;
    }

    /** Margin of the tag-view loss (m3). */
    public float tagMargin() {
        return tagMargin;
    }

    /** Learning rate. */
    public float lr() {
        return lr;
    }

    /** Momentum factor. */
    public float momentum() {
        return momentum;
    }

    /** Weight decay on the ambient coordinates. */
    public float weightDecay() {
        return weightDecay;
    }

    /** User–item triples per step. */
    public int batchSize() {
        return batchSize;
    }

    /** Temperature of the contrastive alignment. */
    public float tau() {
        return tau;
    }

    /** Weight of the contrastive alignment in the loss. */
    public float contrastiveWeight() {
        return contrastiveWeight;
    }

    /** Ambient dimension (time coordinate included). */
    public int dim() {
        return dim;
    }

    /** Half-width of the uniform initialisation of random embeddings. */
    public float initScale() {
        return initScale;
    }

    /**
     * Consecutive uses of each batch in faithful sampling. Default 2: an epoch then sees about half
     * the training pairs, as HYPERLLM.md measures for the reference sampler ("about 45%"); 5 would
     * model perfectly synchronised workers (21%), see docs/trainer.md.
     */
    public int faithfulRepeat() {
        return faithfulRepeat;
    }

    /** Epochs between training checkpoints. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /**
     * The longest spatial part (|x₁..x_d|) a parameter point may keep after an optimiser step, or 0
     * for no bound (the default, as the reference trains: its optimiser's {@code stabilize} is off,
     * so its {@code max_norm} never applies to parameters). With it, longer points are scaled back
     * as the reference's {@code projx} does, and their momentum is reset. Fast schedules need a
     * loose one: at lr 0.01 a tag shared by thousands of items sums their gradients and runs off to
     * infinity within an epoch, while users and items stay within a spatial norm of about 11
     * (docs/trainer.md).
     */
    public float maxNorm() {
        return maxNorm;
    }

    @Override
    public String toString() {
        return "TrainConfig{variant="
                + variant
                + ", sampler="
                + sampler
                + ", backbone="
                + backbone.name()
                + ", epochs="
                + epochs
                + ", patience="
                + patience
                + ", seed="
                + seed
                + ", margin="
                + margin
                + ", tagMargin="
                + tagMargin
                + ", lr="
                + lr
                + ", momentum="
                + momentum
                + ", weightDecay="
                + weightDecay
                + ", batchSize="
                + batchSize
                + ", tau="
                + tau
                + ", contrastiveWeight="
                + contrastiveWeight
                + ", dim="
                + dim
                + (maxNorm > 0 ? ", maxNorm=" + maxNorm : "")
                + "}";
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Variant variant = Variant.HYPERLLM;
        private SamplerMode sampler = SamplerMode.FAITHFUL;
        private Backbone backbone = new Hgcf();
        private int epochs = 500;
        private int patience = 50;
        private long seed = 1234;
        private float margin = 1.6f;
        private float tagMargin = 0.9f;
        private float lr = 1e-3f;
        private float momentum = 0.95f;
        private float weightDecay = 5e-4f;
        private int batchSize = 4096;
        private float tau = 0.5f;
        private float contrastiveWeight = 0.01f;
        private int dim = 50;
        private float initScale = 0.1f;
        private int faithfulRepeat = 2;
        private int checkpointEvery = 10;
        private float maxNorm = 0;

        private Builder() {}

        /** Sets the variant. */
        public Builder variant(Variant v) {
            this.variant = v;
            return this;
        }

        /** Sets the sampler mode. */
        public Builder sampler(SamplerMode s) {
            this.sampler = s;
            return this;
        }

        /** Sets the backbone. */
        public Builder backbone(Backbone b) {
            this.backbone = b;
            return this;
        }

        /** Sets the maximum number of epochs. */
        public Builder epochs(int e) {
            this.epochs = e;
            return this;
        }

        /** Sets the early-stopping patience. */
        public Builder patience(int p) {
            this.patience = p;
            return this;
        }

        /** Sets the seed. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Sets the user–item margin. */
        public Builder margin(float m) {
            this.margin = m;
            return this;
        }

        /** Sets the tag-view margin. */
        public Builder tagMargin(float m) {
            this.tagMargin = m;
            return this;
        }

        /** Sets the learning rate. */
        public Builder lr(float v) {
            this.lr = v;
            return this;
        }

        /** Sets the momentum. */
        public Builder momentum(float v) {
            this.momentum = v;
            return this;
        }

        /** Sets the weight decay. */
        public Builder weightDecay(float v) {
            this.weightDecay = v;
            return this;
        }

        /** Sets the batch size. */
        public Builder batchSize(int v) {
            this.batchSize = v;
            return this;
        }

        /** Sets the contrastive temperature. */
        public Builder tau(float v) {
            this.tau = v;
            return this;
        }

        /** Sets the contrastive weight. */
        public Builder contrastiveWeight(float v) {
            this.contrastiveWeight = v;
            return this;
        }

        /** Sets the ambient dimension. */
        public Builder dim(int v) {
            this.dim = v;
            return this;
        }

        /** Sets the initialisation scale. */
        public Builder initScale(float v) {
            this.initScale = v;
            return this;
        }

        /** Sets the faithful batch repetition. */
        public Builder faithfulRepeat(int v) {
            this.faithfulRepeat = v;
            return this;
        }

        /** Sets the checkpoint interval in epochs. */
        public Builder checkpointEvery(int v) {
            this.checkpointEvery = v;
            return this;
        }

        /** Sets the longest spatial part of a parameter point (0: no bound). */
        public Builder maxNorm(float v) {
            this.maxNorm = v;
            return this;
        }

        /** Validates and builds. */
        public TrainConfig build() {
            return new TrainConfig(this);
        }
    }
}
