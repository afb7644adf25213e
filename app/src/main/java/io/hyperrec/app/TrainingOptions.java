package io.hyperrec.app;

import io.hyperrec.core.train.SamplerMode;
import picocli.CommandLine.Option;

/** The schedule options shared by the training commands ({@code train}, {@code phase1}). */
final class TrainingOptions {
    @Option(
            names = "--sampler",
            defaultValue = "faithful",
            description =
                    "faithful (the reference sampler's repeated batches) or clean (one shuffled pass per epoch); default ${DEFAULT-VALUE}.")
    SamplerMode sampler;

    @Option(
            names = "--epochs",
            defaultValue = "500",
            description = "Maximum number of epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--patience",
            defaultValue = "50",
            description =
                    "Epochs without validation improvement before stopping (default ${DEFAULT-VALUE}).")
    int patience;

    @Option(
            names = "--seed",
            defaultValue = "1234",
            description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--lr",
            paramLabel = "RATE",
            description = "Learning rate (default: the paper's, 0.001).")
    Float lr;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Interactions per step (default: the paper's, 4096).")
    Integer batchSize;

    /** Applies the options that were given to {@code b}. */
    io.hyperrec.core.train.TrainConfig.Builder apply(io.hyperrec.core.train.TrainConfig.Builder b) {
        b.sampler(sampler).epochs(epochs).patience(patience).seed(seed);
        if (lr != null) {
            b.lr(lr);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        return b;
    }
}
