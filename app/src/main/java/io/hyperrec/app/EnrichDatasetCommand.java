package io.hyperrec.app;

import io.hyperrec.app.enrich.DatasetEnrichment;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hyperrec enrich-dataset}: see {@link DatasetEnrichment}. */
@Command(
        name = "enrich-dataset",
        mixinStandardHelpOptions = true,
        description = {
            "Enriches a RecBole dataset with our own encoder for the two HyperLLM phases: writes the",
            "split, three-level tags (from the category paths or from the offline tagger) and",
            "MiniLM semantic vectors (items: their text; users: the mean of their training items),",
            "so that `phase1 --semantic OUT/NAME --semantic-dim 384` and `train --dataset OUT` run",
            "on it."
        })
final class EnrichDatasetCommand implements Callable<Integer> {
    @Mixin DatasetOptions dataset;

    @Option(
            names = "--tags",
            defaultValue = "CATEGORY",
            paramLabel = "NONE|CATEGORY|OFFLINE",
            description =
                    "Where the tags come from: the catalogue's category paths, the offline tagger"
                            + " (from title and brand only), or none (default ${DEFAULT-VALUE}).")
    DatasetEnrichment.Source tags;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output directory (a RecBole dataset; files of the same names replaced).")
    Path out;

    @Override
    public Integer call() {
        if (dataset.dir == null) {
            throw new IllegalArgumentException(
                    "--dataset is required: a RecBole directory with an item file (titles and"
                            + " category paths), e.g. ../shared/datasets/amazon-beauty");
        }
        Dataset ds = dataset.load();
        System.out.println("hyperrec enrich-dataset: " + ds);
        try (MiniLmEmbedder embedder = MiniLmEmbedder.create()) {
            DatasetEnrichment.Result r =
                    new DatasetEnrichment(embedder, System.out).run(ds, tags, out);
            Map<String, Object> report = r.report();
            Path file = out.resolve(r.dataset().name() + ".enrich.json");
            Reports.write(file, report);
            System.out.println("report written to " + file);
        }
        return 0;
    }
}
