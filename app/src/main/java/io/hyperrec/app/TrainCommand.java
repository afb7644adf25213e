package io.hyperrec.app;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.TimingKernels;
import io.hyperrec.core.model.Backbone;
import io.hyperrec.core.model.Hgcf;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.core.train.HyperLlmTrainer;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainResult;
import io.hyperrec.core.train.Variant;
import io.hyperrec.store.RocksCheckpointStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hyperrec train}: trains a model, writes it, its report and its checkpoints. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains HGCF with HyperLLM's phase 2 (or an ablation) and saves the best-validation model.",
            "Writes DIR/model (the model), DIR/report.json and DIR/checkpoints (RocksDB, for --resume)."
        })
final class TrainCommand implements Callable<Integer> {

    @Mixin DatasetOptions dataset;

    @Mixin TrainingOptions training;

    @Mixin DeviceOptions device;

    @Option(
            names = "--backbone",
            defaultValue = "hgcf",
            description = "Graph backbone: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Backbones.class)
    String backbone;

    @Option(
            names = "--variant",
            defaultValue = "hyperllm",
            description = "base, structural, semantic or hyperllm (default: ${DEFAULT-VALUE}).")
    Variant variant;

    @Option(
            names = "--phase1",
            paramLabel = "PREFIX",
            description =
                    "Phase-1 vectors: reads PREFIX.phase1-user.f32 and PREFIX.phase1-item.f32 (semantic and hyperllm variants).")
    Path phase1;

    @Option(
            names = "--margin",
            paramLabel = "M2",
            description =
                    "User–item margin (default 1.6 with phase-1 vectors, 2.3 without, as published).")
    Float margin;

    @Option(
            names = "--tag-margin",
            paramLabel = "M3",
            defaultValue = "0.9",
            description = "Tag-view margin (default ${DEFAULT-VALUE}).")
    float tagMargin;

    @Option(
            names = "--max-norm",
            paramLabel = "R",
            defaultValue = "0",
            description =
                    "Bound the spatial norm of every parameter point to R after each step, as the"
                            + " reference's projx(max_norm) does (0 = no bound, the reference's"
                            + " training; 1.5 is its max_norm). Fast schedules (--lr 0.01) need it.")
    float maxNorm;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "10",
            paramLabel = "N",
            description =
                    "Checkpoint the training state every N epochs (default ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(
            names = "--faithful-repeat",
            defaultValue = "2",
            paramLabel = "R",
            description =
                    "Consecutive uses of each batch by the faithful sampler (default ${DEFAULT-VALUE}: an epoch sees about half the pairs, as the reference's 5 interleaved workers do; 5 = perfectly synchronised workers).")
    int faithfulRepeat;

    @Option(
            names = "--deterministic",
            description =
                    "Bit-for-bit repeatable across processes (a resumed run equals an uninterrupted one), about 1.3x slower.")
    boolean deterministic;

    @Option(
            names = "--profile",
            description =
                    "Time every kernel call and report where the time goes (stdout and report.json).")
    boolean profile;

    @Option(
            names = "--resume",
            description =
                    "Continue from the checkpoint in DIR/checkpoints (same settings required).")
    boolean resume;

    /** Backbone names for help and validation. */
    static final class Backbones implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("hgcf").iterator();
        }
    }

    static Backbone backbone(String name) {
        if (name.equalsIgnoreCase("hgcf")) {
            return new Hgcf();
        }
        throw new IllegalArgumentException(
                "unknown --backbone '" + name + "': expected one of [hgcf]");
    }

    @Override
    public Integer call() {
        // The device first: a GPU that cannot be used fails before any data is read.
        try (Kernels opened = device.open(deterministic)) {
            return train(profile ? new TimingKernels(opened) : opened);
        }
    }

    private int train(Kernels kernels) {
        Dataset ds = dataset.load();
        float[][] p1 =
                variant.usesPhase1() ? Phase1Files.read(phase1, ds, variant) : new float[2][];
        float m2 = margin != null ? margin : (variant.usesPhase1() ? 1.6f : 2.3f);
        TrainConfig cfg =
                training.apply(TrainConfig.builder())
                        .variant(variant)
                        .backbone(backbone(backbone))
                        .margin(m2)
                        .maxNorm(maxNorm)
                        .tagMargin(tagMargin)
                        .checkpointEvery(checkpointEvery)
                        .faithfulRepeat(faithfulRepeat)
                        .build();
        System.out.println(
                "hyperrec train: " + ds + "\n  " + cfg + "\n  kernels: " + kernels.name());
        try (RocksCheckpointStore store =
                new RocksCheckpointStore(out.resolve("checkpoints"), "train")) {
            if (!resume) {
                store.clear();
            } else if (store.load().isEmpty()) {
                System.out.println(
                        "  --resume: no checkpoint in "
                                + out.resolve("checkpoints")
                                + ", starting from epoch 1");
            }
            HyperLlmTrainer trainer = new HyperLlmTrainer(ds, cfg, kernels, p1[0], p1[1]);
            TrainResult r = trainer.train(store, new ProgressPrinter(System.out, cfg.patience()));
            TrainedModel model = Reports.model(ds, cfg, r, kernels.name());
            model.save(out.resolve("model"));
            java.util.Map<String, long[]> times =
                    kernels instanceof TimingKernels t ? t.totals() : null;
            Reports.writeTrainReport(out.resolve("report.json"), ds, cfg, r, kernels.name(), times);
            if (times != null) {
                Reports.printProfile(System.out, times, r);
            }
            System.out.printf(
                    "best epoch %d  test %s%n  model: %s%n  report: %s%n",
                    r.bestEpoch(), r.test(), out.resolve("model"), out.resolve("report.json"));
        }
        return 0;
    }
}
