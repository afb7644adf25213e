package io.hyperrec.app;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.train.Phase1Trainer;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec phase1}: trains the semantic MoE and writes phase-1 vectors for {@code train}.
 */
@Command(
        name = "phase1",
        mixinStandardHelpOptions = true,
        description = {
            "HyperLLM phase 1: trains a mixture of experts from frozen semantic vectors (the MoE only),",
            "and writes the best-validation outputs as OUT.phase1-user.f32 and OUT.phase1-item.f32."
        })
final class Phase1Command implements Callable<Integer> {
    @Mixin DatasetOptions dataset;

    @Mixin TrainingOptions training;

    @Mixin DeviceOptions device;

    @Option(
            names = "--semantic",
            required = true,
            paramLabel = "PREFIX",
            description =
                    "Reads PREFIX.semantic-user.f32 and PREFIX.semantic-item.f32 (float32 rows, little-endian).")
    Path semantic;

    @Option(
            names = "--semantic-dim",
            required = true,
            paramLabel = "S",
            description = "Width of the semantic vectors (e.g. 384 for MiniLM, 3072 in the paper).")
    int semDim;

    @Option(
            names = "--experts",
            defaultValue = "16",
            description = "Number of experts K (default ${DEFAULT-VALUE}, the paper's for Beauty).")
    int experts;

    @Option(
            names = "--margin",
            paramLabel = "M1",
            defaultValue = "0.1",
            description = "Margin m1 (default ${DEFAULT-VALUE}).")
    float margin;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "PREFIX",
            description =
                    "Output prefix: writes PREFIX.phase1-user.f32 and PREFIX.phase1-item.f32.")
    Path out;

    @Override
    public Integer call() {
        // The device first: a GPU that cannot be used fails before any data is read.
        try (Kernels k = device.open(false)) {
            return train(k);
        }
    }

    private int train(Kernels k) {
        Dataset ds = dataset.load();
        Path users = Path.of(semantic + ".semantic-user.f32");
        Path items = Path.of(semantic + ".semantic-item.f32");
        for (Path p : new Path[] {users, items}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(
                        "--semantic " + semantic + ": file not found: " + p);
            }
        }
        float[] zu = RecboleReader.readF32(users, ds.users().size(), semDim);
        float[] zi = RecboleReader.readF32(items, ds.items().size(), semDim);
        TrainConfig cfg =
                training.apply(TrainConfig.builder().variant(Variant.SEMANTIC).margin(margin))
                        .build();
        System.out.println(
                "hyperrec phase1: "
                        + ds
                        + "\n  "
                        + experts
                        + " experts, semantic dim "
                        + semDim
                        + ", "
                        + cfg
                        + "\n  kernels: "
                        + k.name());
        try {
            Phase1Trainer.Result r =
                    new Phase1Trainer(ds, zu, zi, semDim, experts, cfg, k)
                            .train(new ProgressPrinter(System.out, training.patience));
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            RecboleReader.writeF32(Path.of(out + ".phase1-user.f32"), r.userVectors());
            RecboleReader.writeF32(Path.of(out + ".phase1-item.f32"), r.itemVectors());
            System.out.printf(
                    "best epoch %d, validation %s%n  wrote %s.phase1-{user,item}.f32%n",
                    r.bestEpoch(), r.validation(), out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + out, e);
        }
        return 0;
    }
}
