package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reads the licensed real datasets when they are present next to the repository ({@code
 * ../shared/datasets}, or the directory given by the system property {@code hyperrec.datasets},
 * which must then exist). Skipped, with a message, when they are absent.
 */
class SharedDatasetsTest {

    private static Path datasetDir(String name) {
        String configured = System.getProperty("hyperrec.datasets");
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured).resolve(name);
            assertThat(dir).as("-Dhyperrec.datasets was given").isDirectory();
            return dir;
        }
        // tests run with user.dir = <repo>/core; the data lives in <repo>/../shared/datasets
        Path dir =
                Path.of(System.getProperty("user.dir"))
                        .resolve("../../shared/datasets")
                        .resolve(name)
                        .normalize();
        Assumptions.assumeTrue(
                Files.isDirectory(dir), name + " not found at " + dir + ": skipping");
        return dir;
    }

    private static int total(Dataset d) {
        return d.train().nnz() + d.valid().nnz() + d.test().nnz();
    }

    @Test
    void readsSharedBeautyWhenPresent() {
        Path dir = datasetDir("hyperllm-beauty");

        Dataset d = RecboleReader.read(dir);

        assertThat(d.name()).isEqualTo("hyperllm-beauty");
        assertThat(d.users().size()).isEqualTo(10_553);
        assertThat(d.items().size()).isEqualTo(6_086);
        assertThat(d.train().nnz()).isEqualTo(70_614);
        assertThat(d.valid().nnz()).isEqualTo(11_767);
        assertThat(d.test().nnz()).isEqualTo(11_767);
        assertThat(d.users().indexOf("0")).isZero();
        assertThat(d.users().indexOf("10552")).isEqualTo(10_552);
        assertThat(d.items().indexOf("6085")).isEqualTo(6_085);
        TagGraph tags = d.tags().orElseThrow();
        assertThat(tags.numTags()).isEqualTo(6_418);
        assertThat(tags.itemTagItems()).hasSize(51_396);
        assertThat(tags.tagTagA()).hasSize(16_739);
        assertThat(tags.tagNames()[0]).isEqualTo("Beauty");
        assertThat(tags.tagLevel()).isNull();
        assertThat(d.catalog()).isEmpty();
        float[] userVectors =
                RecboleReader.readF32(dir.resolve("hyperllm-beauty.phase1-user.f32"), 10_553, 50);
        float[] itemVectors =
                RecboleReader.readF32(dir.resolve("hyperllm-beauty.phase1-item.f32"), 6_086, 50);
        assertThat(userVectors).hasSize(10_553 * 50);
        assertThat(itemVectors).hasSize(6_086 * 50);
        int nonFinite = 0;
        for (float v : userVectors) {
            nonFinite += Float.isFinite(v) ? 0 : 1;
        }
        assertThat(nonFinite).isZero();
    }

    @Test
    void readsSharedMl100kWhenPresent() {
        Path dir = datasetDir("ml-100k");

        Dataset d = RecboleReader.read(dir, ReadOptions.defaults().withSplit(Split.LEAVE_ONE_OUT));

        assertThat(d.users().size()).isEqualTo(943);
        assertThat(d.items().size()).isEqualTo(1_682);
        assertThat(total(d)).isEqualTo(100_000);
        assertThat(d.test().nnz()).isEqualTo(943);
        assertThat(d.valid().nnz()).isEqualTo(943);
        assertThat(d.catalog().orElseThrow().title(d.items().indexOf("1"))).isEqualTo("Toy Story");
    }

    @Test
    void readsSharedAmazonBeautyWhenPresent() {
        Path dir = datasetDir("amazon-beauty");

        Dataset d = RecboleReader.read(dir);

        assertThat(d.users().size()).isEqualTo(22_363);
        assertThat(d.items().size()).isEqualTo(12_101);
        assertThat(total(d)).isEqualTo(198_502);
        ItemCatalog catalog = d.catalog().orElseThrow();
        int item = d.items().indexOf("1");
        assertThat(catalog.title(item))
                .isEqualTo(
                        "WAWO 15 Color Professionl Makeup Eyeshadow Camouflage Facial Concealer"
                                + " Neutral Palette");
        assertThat(catalog.text(item))
                .contains(catalog.title(item))
                .contains("Beauty > Makeup > Face > Concealers & Neutralizers");
        assertThat(catalog.categoryPath(item))
                .containsExactly("Beauty", "Makeup", "Face", "Concealers & Neutralizers");
    }
}
