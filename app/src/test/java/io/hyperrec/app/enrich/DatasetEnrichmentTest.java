package io.hyperrec.app.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.app.HyperrecCli;
import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.RecboleReader;
import io.hyperrec.core.data.Split;
import io.hyperrec.core.data.SyntheticConfig;
import io.hyperrec.core.data.SyntheticDataset;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetEnrichmentTest {
    private static MiniLmEmbedder embedder;
    private static Dataset data;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() {
        embedder = MiniLmEmbedder.create();
        data =
                SyntheticDataset.generate(
                        SyntheticConfig.builder()
                                .users(120)
                                .items(90)
                                .split(Split.LEAVE_ONE_OUT)
                                .build());
    }

    @AfterAll
    static void tearDown() {
        embedder.close();
    }

    private DatasetEnrichment.Result enrich(DatasetEnrichment.Source source, Path out) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DatasetEnrichment.Result r =
                new DatasetEnrichment(embedder, new PrintStream(log, true, StandardCharsets.UTF_8))
                        .run(data, source, out);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("ETA");
        return r;
    }

    @Test
    void categoryTagsAreEachItemsOwnPathOnThreeLevelsAndTheSplitIsKept() {
        DatasetEnrichment.Result r = enrich(DatasetEnrichment.Source.CATEGORY, dir);
        Dataset back = r.dataset();

        assertThat(back.train().nnz()).isEqualTo(data.train().nnz());
        assertThat(back.valid().nnz()).isEqualTo(data.valid().nnz());
        assertThat(back.test().nnz()).isEqualTo(data.test().nnz());
        TagGraph g = back.tags().orElseThrow();
        assertThat(r.report().get("items_tagged")).isEqualTo(data.items().size());
        assertThat(g.itemTagItems()).hasSize(3 * data.items().size());
        assertThat(g.tagLevel()).isNotNull();
        for (int k = 0; k < g.tagTagA().length; k++) {
            assertThat(Math.abs(g.tagLevel()[g.tagTagA()[k]] - g.tagLevel()[g.tagTagB()[k]]))
                    .as("edges join adjacent levels")
                    .isEqualTo(1);
        }
    }

    @Test
    void semanticVectorsFollowTheOrderTheDirectoryReadsBackIn() {
        Dataset back = enrich(DatasetEnrichment.Source.NONE, dir).dataset();
        int d = MiniLmEmbedder.DIM;
        String name = back.name();
        float[] items =
                RecboleReader.readF32(
                        dir.resolve(name + ".semantic-item.f32"), back.items().size(), d);
        float[] users =
                RecboleReader.readF32(
                        dir.resolve(name + ".semantic-user.f32"), back.users().size(), d);

        // An item's row is its own text's embedding, whatever index it had before.
        int row = back.items().size() - 1;
        String id = back.items().token(row);
        int before = data.items().indexOf(id);
        var catalog = data.catalog().orElseThrow();
        float[] expected =
                embedder.embed(
                                List.of(
                                        new ItemText(
                                                        id,
                                                        catalog.title(before),
                                                        catalog.text(before),
                                                        Map.of())
                                                .document()))
                        .get(0);
        for (int j = 0; j < d; j++) {
            assertThat(items[row * d + j]).isCloseTo(expected[j], within(1e-5f));
        }
        // A user's row is the normalised mean of their training items' rows.
        int u = 7;
        double[] mean = new double[d];
        for (int i : back.train().itemsOf(u)) {
            for (int j = 0; j < d; j++) {
                mean[j] += items[i * d + j];
            }
        }
        double norm = 0;
        for (double v : mean) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < d; j++) {
            assertThat((double) users[u * d + j]).isCloseTo(mean[j] / norm, within(1e-5));
        }
    }

    @Test
    void offlineTagsComeFromTitleAndBrandAloneAndTheirAgreementIsReported() {
        DatasetEnrichment.Result r = enrich(DatasetEnrichment.Source.OFFLINE, dir);

        assertThat(r.report().get("items_tagged")).isEqualTo(data.items().size());
        assertThat((double) r.report().get("agreement_level0")).isBetween(0.0, 1.0);
        assertThat((double) r.report().get("agreement_level0"))
                .isGreaterThanOrEqualTo((double) r.report().get("agreement_level2"));
        assertThat(r.dataset().tags().orElseThrow().numTags()).isGreaterThan(3);
        assertThat(
                        DatasetEnrichment.withoutPath(
                                "Shiny Co. Skin Care > Face > Creams",
                                List.of("Skin Care", "Face", "Creams")))
                .isEqualTo("Shiny Co");
        assertThat(DatasetEnrichment.withoutPath("no path here", List.of("A", "B")))
                .isEqualTo("no path here");
    }

    @Test
    void bothPhasesRunOnTheEnrichedDirectory() throws Exception {
        Path out = dir.resolve("enriched");
        Dataset back = enrich(DatasetEnrichment.Source.CATEGORY, out).dataset();
        String prefix = out.resolve(back.name()).toString();

        int p1 =
                HyperrecCli.commandLine()
                        .execute(
                                "phase1",
                                "--dataset",
                                out.toString(),
                                "--semantic",
                                prefix,
                                "--semantic-dim",
                                "384",
                                "--epochs",
                                "2",
                                "--out",
                                dir.resolve("p1/x").toString());
        assertThat(p1).isZero();
        int train =
                HyperrecCli.commandLine()
                        .execute(
                                "train",
                                "--dataset",
                                out.toString(),
                                "--variant",
                                "hyperllm",
                                "--phase1",
                                dir.resolve("p1/x").toString(),
                                "--epochs",
                                "2",
                                "--out",
                                dir.resolve("model").toString());
        assertThat(train).isZero();
        assertThat(Files.readString(dir.resolve("model/report.json"))).contains("\"test\"");
    }
}
