package io.hyperrec.enrichment.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.enrichment.EnrichmentException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

    private static final List<String> TEXTS =
            List.of(
                    "red lipstick",
                    "matte lip colour",
                    "lawn mower",
                    "",
                    "   ",
                    "Hydrating facial moisturiser with hyaluronic acid, 50 ml",
                    "Eau de parfum spray for women",
                    "Shampoo for dry and damaged hair",
                    "Nail polish remover, acetone free",
                    "Boar bristle hair brush");

    private static MiniLmEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = MiniLmEmbedder.create(MiniLmOptions.builder().batchSize(32).threads(2).build());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void reportsItsNameAndDimension() {
        assertThat(embedder.name()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(embedder.dim()).isEqualTo(384);
        assertThat(embedder.embed(List.of("x")).get(0)).hasSize(384);
    }

    @Test
    void returnsUnitNormVectorsEvenForEmptyText() {
        List<float[]> vectors = embedder.embed(TEXTS);

        assertThat(vectors).hasSize(TEXTS.size());
        for (float[] v : vectors) {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void returnsAnEmptyListForNoTexts() {
        assertThat(embedder.embed(List.of())).isEmpty();
    }

    @Test
    void isDeterministicAcrossCallsInstancesAndBatchSizes() {
        List<float[]> first = embedder.embed(TEXTS);
        List<float[]> second = embedder.embed(TEXTS);
        try (MiniLmEmbedder other =
                MiniLmEmbedder.create(MiniLmOptions.builder().batchSize(3).threads(1).build())) {
            List<float[]> third = other.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
                assertThat(third.get(i)).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void batchResultEqualsOneByOneResult() {
        List<float[]> batched = embedder.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] single = embedder.embed(List.of(TEXTS.get(i))).get(0);
            assertThat(maxAbsDiff(batched.get(i), single)).as("text %d", i).isLessThan(1e-5);
        }
    }

    @Test
    void placesRelatedTextsCloserThanUnrelatedOnes() {
        List<float[]> v = embedder.embed(List.of("red lipstick", "matte lip colour", "lawn mower"));

        double related = dot(v.get(0), v.get(1));
        double unrelated = dot(v.get(0), v.get(2));
        assertThat(related).isGreaterThan(unrelated + 0.1);
    }

    @Test
    void truncatesTextsLongerThanTheTokenLimit() {
        List<float[]> v =
                embedder.embed(List.of("moisturiser ".repeat(2000), "moisturiser ".repeat(1000)));

        assertThat(norm(v.get(0))).isCloseTo(1.0, within(1e-5));
        assertThat(v.get(0)).containsExactly(v.get(1));
    }

    @Test
    void givesTheSameVectorsUnderConcurrentCalls() throws Exception {
        List<float[]> expected = embedder.embed(TEXTS);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                futures.add(pool.submit(() -> embedder.embed(TEXTS)));
            }
            for (Future<List<float[]>> f : futures) {
                List<float[]> got = f.get();
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertThat(got.get(i)).containsExactly(expected.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsANullTextNamingItsIndex() {
        assertThatThrownBy(() -> embedder.embed(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("texts[1]");
    }

    @Test
    void refusesToEmbedAfterClose() {
        MiniLmEmbedder closing = MiniLmEmbedder.create(MiniLmOptions.builder().threads(1).build());
        closing.close();
        closing.close();

        assertThatThrownBy(() -> closing.embed(List.of("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessageContaining("closed");
    }

    /**
     * Measures throughput on 512 product-like texts and prints it; the assertion only guards
     * against a pathological slowdown (2 shared cores, 2 workers: measured about 700 texts/s).
     */
    @Test
    void embedsAtAUsefulRate() {
        List<String> texts = new ArrayList<>();
        String[] brands = {"Lumina", "Verdant", "Aurelle", "Solis"};
        String[] kinds = {"lipstick", "moisturiser", "shampoo", "eau de parfum", "nail polish"};
        for (int i = 0; i < 512; i++) {
            texts.add(
                    String.format(
                            Locale.ROOT,
                            "%s %s no. %d, %d ml\nbrand: %s",
                            brands[i % brands.length],
                            kinds[i % kinds.length],
                            i,
                            10 + i % 90,
                            brands[i % brands.length]));
        }
        embedder.embed(texts.subList(0, 128));
        long start = System.nanoTime();
        List<float[]> vectors = embedder.embed(texts);
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = texts.size() / seconds;
        System.out.printf(
                Locale.ROOT,
                "MiniLmEmbedder: %d texts in %.2f s = %.0f texts/s (%s)%n",
                texts.size(),
                seconds,
                rate,
                embedder.options());

        assertThat(vectors).hasSize(512);
        assertThat(rate).isGreaterThan(50);
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> MiniLmOptions.builder().batchSize(0))
                .hasMessageContaining("batchSize")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> MiniLmOptions.builder().threads(-2))
                .hasMessageContaining("threads")
                .hasMessageContaining("-2");
        assertThatThrownBy(() -> MiniLmOptions.builder().maxTokens(513))
                .hasMessageContaining("maxTokens")
                .hasMessageContaining("513");
        assertThat(MiniLmOptions.defaults().maxTokens()).isEqualTo(256);
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
