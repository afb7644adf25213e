package io.hyperrec.app;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.ReadOptions;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.Split;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command's data comes from: a RecBole directory, or the synthetic generator. */
final class DatasetOptions {
    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description =
                    "RecBole dataset directory (NAME.inter or NAME.{train,valid,test}.inter, optional .item/.tag/.kg). Without it, the synthetic dataset is used.")
    Path dir;

    @Option(
            names = "--split",
            defaultValue = "random",
            paramLabel = "random|loo",
            description =
                    "Split when the directory has no benchmark split: random (per-user 8:1:1) or loo (leave-one-out by timestamp/seq); default ${DEFAULT-VALUE}.")
    String split;

    @Option(
            names = "--split-seed",
            defaultValue = "2024",
            description = "Seed of the random split (default ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(
            names = "--synthetic-users",
            defaultValue = "2000",
            description = "Users of the synthetic dataset (default ${DEFAULT-VALUE}).")
    int syntheticUsers;

    @Option(
            names = "--synthetic-items",
            defaultValue = "1000",
            description = "Items of the synthetic dataset (default ${DEFAULT-VALUE}).")
    int syntheticItems;

    Split parsedSplit() {
        return switch (split.toLowerCase()) {
            case "random", "random_811" -> Split.RANDOM_811;
            case "loo", "leave_one_out", "leave-one-out" -> Split.LEAVE_ONE_OUT;
            default ->
                    throw new IllegalArgumentException(
                            "invalid --split '" + split + "': expected random or loo");
        };
    }

    Dataset load() {
        if (dir == null) {
            return SyntheticDataset.generate(
                    SyntheticConfig.builder()
                            .users(syntheticUsers)
                            .items(syntheticItems)
                            .split(parsedSplit())
                            .seed(splitSeed)
                            .build());
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dataset " + dir + ": not a directory");
        }
        return RecboleReader.read(
                dir, ReadOptions.defaults().withSplit(parsedSplit()).withSeed(splitSeed));
    }
}
