package io.hyperrec.app;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.ItemCatalog;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.model.Hgcf;
import io.hyperrec.core.train.CheckpointStore;
import io.hyperrec.core.train.HyperLlmTrainer;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.TrainResult;
import io.hyperrec.core.train.Variant;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hyperrec demo}: the main job. Until the streaming runtime lands it trains the structural
 * variant (interactions plus the tag taxonomy) on the synthetic dataset (or {@code --dataset}),
 * saves the model, and shows recommendations for a few users.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Trains hyperrec on the built-in synthetic catalogue (or --dataset DIR) and shows recommendations.",
            "The streaming runtime (Kafka, Flink, model store, HTTP) replaces this in a later release."
        })
final class DemoCommand implements Callable<Integer> {
    @Mixin DatasetOptions dataset;

    @Option(
            names = "--epochs",
            defaultValue = "40",
            description = "Maximum epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--data-dir",
            defaultValue = "hyperrec-data",
            paramLabel = "DIR",
            description = "Where the model and report go (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--users-shown",
            defaultValue = "3",
            description = "Users whose top-10 is printed (default ${DEFAULT-VALUE}).")
    int usersShown;

    @Override
    public Integer call() {
        Dataset ds = dataset.load();
        Variant variant = ds.tags().isPresent() ? Variant.STRUCTURAL : Variant.BASE;
        TrainConfig cfg =
                TrainConfig.builder()
                        .variant(variant)
                        .backbone(new Hgcf())
                        .sampler(SamplerMode.CLEAN)
                        .epochs(epochs)
                        .patience(10)
                        .batchSize(2048)
                        .lr(0.01f)
                        .margin(0.5f)
                        .tagMargin(0.5f)
                        .build();
        System.out.println("hyperrec demo: " + ds);
        System.out.println(
                "  training "
                        + variant.name().toLowerCase()
                        + " HGCF ("
                        + cfg.epochs()
                        + " epochs at most)");
        try (Kernels k = new CpuKernels()) {
            TrainResult r =
                    new HyperLlmTrainer(ds, cfg, k, null, null)
                            .train(
                                    CheckpointStore.NONE,
                                    new ProgressPrinter(System.out, cfg.patience()));
            Reports.model(ds, cfg, r, k.name()).save(dataDir.resolve("model"));
            Reports.writeTrainReport(dataDir.resolve("report.json"), ds, cfg, r, k.name());
            System.out.printf("best epoch %d, test %s%n", r.bestEpoch(), r.test());
            show(ds, r, k);
            System.out.println("model and report in " + dataDir.toAbsolutePath());
        }
        return 0;
    }

    private void show(Dataset ds, TrainResult r, Kernels k) {
        int d = r.dim();
        int nu = ds.users().size();
        int ni = ds.items().size();
        int shown = Math.min(usersShown, nu);
        Mat users = k.allocate(shown, d);
        Mat items = k.allocate(ni, d);
        k.upload(r.userEmbeddings(), users);
        k.upload(r.itemEmbeddings(), items);
        int[] top = new int[shown * 10];
        float[] scores = new float[shown * 10];
        k.topK(users, items, ds.train(), 0, 10, top, scores);
        ItemCatalog cat = ds.catalog().orElse(null);
        for (int u = 0; u < shown; u++) {
            System.out.printf(
                    "top 10 for user %s (%d training interactions):%n",
                    ds.users().token(u), ds.train().degree(u));
            for (int q = 0; q < 10; q++) {
                int i = top[u * 10 + q];
                if (i < 0) {
                    break;
                }
                String title = cat == null ? "" : "  " + cat.title(i);
                String mark =
                        ds.test().contains(u, i) || ds.valid().contains(u, i)
                                ? "  [held out: hit]"
                                : "";
                System.out.printf(
                        "  %2d. %-6s score %8.4f%s%s%n",
                        q + 1, ds.items().token(i), scores[u * 10 + q], title, mark);
            }
        }
    }
}
