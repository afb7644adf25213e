package io.hyperrec.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hyperrec.app.coldstart.ColdStartEvaluation;
import io.hyperrec.app.demo.Platform;
import io.hyperrec.app.demo.RetrainScheduler;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.model.Hgcf;
import io.hyperrec.core.online.OnlineConfig;
import io.hyperrec.core.train.SamplerMode;
import io.hyperrec.core.train.TrainConfig;
import io.hyperrec.core.train.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyperrec evaluate-cold-start}: see {@link ColdStartEvaluation}. */
@Command(
        name = "evaluate-cold-start",
        mixinStandardHelpOptions = true,
        description = {
            "Holds out a share of the catalogue's items and their interactions, trains on the rest",
            "through the embedded pipeline, onboards the held-out items through items.new, and",
            "ranks the users' held-out interactions against the whole catalogue: ours, tags only,",
            "text only, content-kNN and random."
        })
final class EvaluateColdStartCommand implements Callable<Integer> {
    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description =
                    "RecBole dataset with an item file (titles, category paths), e.g."
                            + " ../shared/datasets/amazon-beauty (default: the synthetic catalogue).")
    Path dataset;

    @Option(
            names = "--holdout-items",
            defaultValue = "0.2",
            paramLabel = "SHARE",
            description = "Share of items held out (default ${DEFAULT-VALUE}).")
    double holdout;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Which items are held out (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--variant",
            defaultValue = "STRUCTURAL",
            description =
                    "Model variant: BASE (text placement only) or STRUCTURAL (tags from the offline"
                            + " tagger too; default ${DEFAULT-VALUE}).")
    Variant variant;

    @Option(
            names = "--epochs",
            defaultValue = "60",
            description = "Training epochs at most (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--data-dir",
            defaultValue = "hyperrec-cold-start",
            paramLabel = "DIR",
            description = "Working directory, emptied first (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report (JSON).")
    Path report;

    @Option(
            names = "--synthetic-items",
            defaultValue = "600",
            description = "Items of the synthetic catalogue (default ${DEFAULT-VALUE}).")
    int syntheticItems;

    @Option(
            names = "--synthetic-users",
            defaultValue = "800",
            description = "Users of the synthetic catalogue (default ${DEFAULT-VALUE}).")
    int syntheticUsers;

    @Override
    public Integer call() throws Exception {
        if (variant.usesPhase1()) {
            throw new IllegalArgumentException(
                    "--variant must be BASE or STRUCTURAL (phase-1 vectors are not part of this"
                            + " pipeline yet), got "
                            + variant);
        }
        Dataset data;
        List<RecboleReader.Event> events;
        String name;
        if (dataset != null) {
            if (!Files.isDirectory(dataset)) {
                throw new IllegalArgumentException(
                        "--dataset " + dataset + ": not a directory (expected a RecBole dataset)");
            }
            data = RecboleReader.read(dataset);
            events = RecboleReader.readEvents(dataset);
            name = dataset.toString();
        } else {
            SyntheticConfig cfg =
                    SyntheticConfig.builder().users(syntheticUsers).items(syntheticItems).build();
            data = SyntheticDataset.generate(cfg);
            events =
                    SyntheticDataset.eventStream(cfg)
                            .map(
                                    e ->
                                            new RecboleReader.Event(
                                                    e.user(), e.item(), e.timestampMillis()))
                            .toList();
            name = "synthetic";
        }
        List<List<String>> taxonomy = ColdStartEvaluation.taxonomy(data);
        if (taxonomy.isEmpty()) {
            throw new IllegalArgumentException(
                    name + " has no category paths: the offline tagger needs a taxonomy");
        }
        wipe(dataDir);
        TrainConfig train =
                TrainConfig.builder()
                        .variant(variant)
                        .backbone(new Hgcf())
                        .sampler(SamplerMode.CLEAN)
                        .epochs(epochs)
                        .patience(10)
                        .batchSize(2048)
                        .lr(0.01f)
                        .margin(0.5f)
                        .checkpointEvery(5)
                        .build();
        try (Platform platform =
                Platform.start(
                        new Platform.Options(
                                dataDir,
                                "127.0.0.1",
                                0,
                                2,
                                train,
                                1.0,
                                OnlineConfig.defaults().withMargin(train.margin()),
                                false,
                                RetrainScheduler.Policy.manualOnly(),
                                taxonomy))) {
            Map<String, Object> r =
                    new ColdStartEvaluation(
                                    platform,
                                    new ColdStartEvaluation.Options(name, holdout, seed),
                                    System.out)
                            .run(data, events);
            String json =
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(r);
            System.out.println(json);
            if (report != null) {
                Files.writeString(report, json);
                System.out.println("report written to " + report);
            }
        }
        return 0;
    }

    private static void wipe(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
