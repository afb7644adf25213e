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
}
