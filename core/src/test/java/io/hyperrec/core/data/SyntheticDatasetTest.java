package io.hyperrec.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SyntheticDatasetTest {

    private static final SyntheticConfig SMALL =
            SyntheticConfig.builder().users(300).items(400).seed(99).build();

    private static int total(Dataset d, int u) {
        return d.train().degree(u) + d.valid().degree(u) + d.test().degree(u);
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        SyntheticConfig cfg = SyntheticConfig.defaults();

        assertThat(cfg.users()).isEqualTo(2000);
        assertThat(cfg.items()).isEqualTo(1000);
        assertThat(cfg.tagLevels()).isEqualTo(3);
        assertThat(cfg.branching()).containsExactly(6, 4, 3);
        assertThat(cfg.meanInteractionsPerUser()).isEqualTo(20.0);
        assertThat(cfg.minInteractionsPerUser()).isEqualTo(5);
        assertThat(cfg.preferredSubtrees()).isEqualTo(2);
        assertThat(cfg.zipfExponent()).isEqualTo(1.0);
        assertThat(cfg.noiseShare()).isEqualTo(0.1);
        assertThat(cfg.seed()).isEqualTo(1234L);
        assertThat(cfg.split()).isEqualTo(Split.RANDOM_811);
        assertThat(cfg.numTags()).isEqualTo(6 + 24 + 72);
        assertThat(cfg.toBuilder().build()).isEqualTo(cfg);
    }

    @Test
    void configRejectsInvalidSettingsNamingTheValue() {
        assertThatThrownBy(() -> SyntheticConfig.builder().tagLevels(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagLevels must be at least 3, got 2");
        assertThatThrownBy(() -> SyntheticConfig.builder().branching(3, 2).build())
                .hasMessageContaining("at least 3, got 2");
        assertThatThrownBy(() -> SyntheticConfig.builder().tagLevels(4).branching(3, 2, 2).build())
                .hasMessageContaining("got 4");
        assertThatThrownBy(
                        () ->
                                SyntheticConfig.builder()
                                        .items(10)
                                        .minInteractionsPerUser(11)
                                        .build())
                .hasMessageContaining("minInteractionsPerUser must be at most items = 10, got 11");
        assertThatThrownBy(() -> SyntheticConfig.builder().meanInteractionsPerUser(3).build())
                .hasMessageContaining("got 3.0");
        assertThatThrownBy(() -> SyntheticConfig.builder().noiseShare(1.5).build())
                .hasMessageContaining("noiseShare must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> SyntheticConfig.builder().users(0).build())
                .hasMessageContaining("users must be positive, got 0");
        assertThatThrownBy(() -> SyntheticConfig.builder().preferredSubtrees(25).build())
                .hasMessageContaining("[1, 24]");
    }

    @Test
    void sameSeedGivesIdenticalDatasetsAndStreams() {
        Dataset a = SyntheticDataset.generate(SMALL);
        Dataset b = SyntheticDataset.generate(SMALL);

        assertThat(b.train()).isEqualTo(a.train());
        assertThat(b.valid()).isEqualTo(a.valid());
        assertThat(b.test()).isEqualTo(a.test());
        assertThat(b.tags().orElseThrow().tagNames())
                .containsExactly(a.tags().orElseThrow().tagNames());
        assertThat(b.tags().orElseThrow().itemTagTags())
                .containsExactly(a.tags().orElseThrow().itemTagTags());
        for (int i = 0; i < SMALL.items(); i++) {
            assertThat(b.catalog().orElseThrow().text(i))
                    .isEqualTo(a.catalog().orElseThrow().text(i));
        }
        assertThat(SyntheticDataset.eventStream(SMALL).collect(Collectors.toList()))
                .isEqualTo(SyntheticDataset.eventStream(SMALL).collect(Collectors.toList()));
    }

    @Test
    void differentSeedsGiveDifferentData() {
        Dataset a = SyntheticDataset.generate(SMALL);
        Dataset c = SyntheticDataset.generate(SMALL.toBuilder().seed(100).build());

        assertThat(c.train()).isNotEqualTo(a.train());
    }

    @Test
    void idsAreSequentialTokens() {
        Dataset d = SyntheticDataset.generate(SMALL);

        assertThat(d.users().size()).isEqualTo(300);
        assertThat(d.users().token(0)).isEqualTo("u1");
        assertThat(d.users().token(299)).isEqualTo("u300");
        assertThat(d.items().size()).isEqualTo(400);
        assertThat(d.items().token(0)).isEqualTo("i1");
        assertThat(d.items().token(399)).isEqualTo("i400");
        assertThat(d.tags().orElseThrow().tagIds().token(0)).isEqualTo("1");
        assertThat(SyntheticDataset.eventStream(SMALL).limit(2000))
                .allSatisfy(
                        e -> {
                            assertThat(e.user()).matches("u([1-9][0-9]{0,2})");
                            assertThat(Integer.parseInt(e.user().substring(1))).isBetween(1, 300);
                            assertThat(e.item()).matches("i[1-9][0-9]*");
                            assertThat(Integer.parseInt(e.item().substring(1))).isBetween(1, 400);
                        });
    }

    @Test
    void taxonomyHasThreeOrMoreLevelsWithParentChildEdges() {
        SyntheticConfig cfg = SMALL.toBuilder().branching(3, 2, 2, 2).build();
        Dataset d = SyntheticDataset.generate(cfg);
        TagGraph g = d.tags().orElseThrow();
        int[] level = g.tagLevel();
        String[] names = g.tagNames();

        assertThat(g.numTags()).isEqualTo(3 + 6 + 12 + 24);
        assertThat(Arrays.stream(level).max().orElseThrow()).isEqualTo(3);
        assertThat(g.tagTagA()).hasSize(g.numTags() - 3);
        int[] parents = new int[g.numTags()];
        Arrays.fill(parents, -1);
        for (int k = 0; k < g.tagTagA().length; k++) {
            int p = g.tagTagA()[k];
            int c = g.tagTagB()[k];
            assertThat(level[c]).isEqualTo(level[p] + 1);
            assertThat(names[c]).startsWith(names[p] + "/");
            assertThat(parents[c]).as("one parent per tag").isEqualTo(-1);
            parents[c] = p;
        }
        for (int t = 0; t < g.numTags(); t++) {
            assertThat(parents[t] < 0).isEqualTo(level[t] == 0);
            assertThat(names[t].split("/")).hasSize(level[t] + 1);
        }
        // every item carries exactly one tag per level, forming a root-to-leaf chain
        Map<Integer, int[]> byLevel = new HashMap<>();
        for (int k = 0; k < g.itemTagItems().length; k++) {
            int[] path =
                    byLevel.computeIfAbsent(g.itemTagItems()[k], x -> new int[] {-1, -1, -1, -1});
            int t = g.itemTagTags()[k];
            assertThat(path[level[t]]).isEqualTo(-1);
            path[level[t]] = t;
        }
        assertThat(byLevel).hasSize(cfg.items());
        ItemCatalog catalog = d.catalog().orElseThrow();
        for (Map.Entry<Integer, int[]> e : byLevel.entrySet()) {
            int[] path = e.getValue();
            for (int l = 1; l < 4; l++) {
                assertThat(parents[path[l]]).isEqualTo(path[l - 1]);
            }
            List<String> categories = catalog.categoryPath(e.getKey());
            assertThat(String.join("/", categories)).isEqualTo(names[path[3]]);
            assertThat(catalog.text(e.getKey()))
                    .contains(catalog.title(e.getKey()))
                    .contains(String.join(" > ", categories));
        }
    }

    @Test
    void tagNamesAreReadableWords() {
        TagGraph g = SyntheticDataset.generate(SMALL).tags().orElseThrow();

        for (String name : g.tagNames()) {
            assertThat(name).matches("[A-Z][A-Za-z&' -]+(/[A-Z][A-Za-z&' -]+)*");
        }
    }

    @Test
    void everyUserHasAtLeastTheMinimumEvenWithTinySubtrees() {
        SyntheticConfig tiny =
                SyntheticConfig.builder()
                        .users(200)
                        .items(30)
                        .minInteractionsPerUser(12)
                        .meanInteractionsPerUser(14)
                        .preferredSubtrees(1)
                        .seed(7)
                        .build();

        for (SyntheticConfig cfg : List.of(SMALL, tiny)) {
            Dataset d = SyntheticDataset.generate(cfg);
            for (int u = 0; u < cfg.users(); u++) {
                assertThat(total(d, u))
                        .as("user %d", u)
                        .isGreaterThanOrEqualTo(cfg.minInteractionsPerUser());
            }
        }
    }

    @Test
    void meanInteractionsPerUserIsNearTheConfiguredMean() {
        Dataset d = SyntheticDataset.generate(SMALL);

        double mean = (d.train().nnz() + d.valid().nnz() + d.test().nnz()) / (double) SMALL.users();

        assertThat(mean).isBetween(17.0, 23.0);
    }

    @Test
    void popularityIsSkewed() {
        Dataset d = SyntheticDataset.generate(SyntheticConfig.defaults());
        int[] counts = new int[d.items().size()];
        long total = 0;
        for (Interactions m : List.of(d.train(), d.valid(), d.test())) {
            for (int i : m.cols()) {
                counts[i]++;
                total++;
            }
        }
        Arrays.sort(counts);
        long top = 0;
        for (int k = counts.length - counts.length / 10; k < counts.length; k++) {
            top += counts[k];
        }

        assertThat(top / (double) total).isGreaterThan(0.25);
    }

    @Test
    void interactionsConcentrateInPreferredSubtrees() {
        SyntheticConfig cfg = SyntheticConfig.defaults();
        Dataset d = SyntheticDataset.generate(cfg);
        TagGraph g = d.tags().orElseThrow();
        int[] subtreeOfItem = new int[d.items().size()];
        for (int k = 0; k < g.itemTagItems().length; k++) {
            if (g.tagLevel()[g.itemTagTags()[k]] == 1) {
                subtreeOfItem[g.itemTagItems()[k]] = g.itemTagTags()[k];
            }
        }
        int[][] preferred = SyntheticDataset.preferredSubtrees(cfg);
        long inside = 0;
        long all = 0;
        for (Interactions m : List.of(d.train(), d.valid(), d.test())) {
            for (int u = 0; u < cfg.users(); u++) {
                assertThat(preferred[u]).hasSize(cfg.preferredSubtrees());
                for (int i : m.itemsOf(u)) {
                    int s = subtreeOfItem[i];
                    if (Arrays.stream(preferred[u]).anyMatch(p -> p == s)) {
                        inside++;
                    }
                    all++;
                }
            }
        }

        assertThat(inside / (double) all).isGreaterThan(1 - cfg.noiseShare() - 0.05);
        assertThat(inside / (double) all).isLessThan(1 - cfg.noiseShare() + 0.05);
    }

    @Test
    void eventStreamIsTimeOrderedAndMatchesTheDataset() {
        Dataset d = SyntheticDataset.generate(SMALL);
        Set<String> expected = new HashSet<>(RecboleReaderTest.tokenPairs(d, d.train()));
        expected.addAll(RecboleReaderTest.tokenPairs(d, d.valid()));
        expected.addAll(RecboleReaderTest.tokenPairs(d, d.test()));
        Map<String, Long> lastTimeByUser = new HashMap<>();
        Set<String> seen = new HashSet<>();
        AtomicLong previous = new AtomicLong(Long.MIN_VALUE);

        SyntheticDataset.eventStream(SMALL)
                .forEach(
                        e -> {
                            assertThat(e.timestampMillis()).isGreaterThanOrEqualTo(previous.get());
                            previous.set(e.timestampMillis());
                            Long last = lastTimeByUser.put(e.user(), e.timestampMillis());
                            if (last != null) {
                                assertThat(e.timestampMillis()).isGreaterThan(last);
                            }
                            assertThat(seen.add(e.user() + "|" + e.item())).isTrue();
                        });

        assertThat(seen).isEqualTo(expected);
        assertThat(lastTimeByUser).hasSize(SMALL.users());
    }

    @Test
    void leaveOneOutHoldsOutEachUsersLastEvents() {
        SyntheticConfig cfg = SMALL.toBuilder().split(Split.LEAVE_ONE_OUT).build();
        Dataset d = SyntheticDataset.generate(cfg);
        Map<String, List<String>> itemsByUser =
                SyntheticDataset.eventStream(cfg)
                        .collect(
                                Collectors.groupingBy(
                                        SyntheticDataset.Event::user,
                                        Collectors.mapping(
                                                SyntheticDataset.Event::item,
                                                Collectors.toList())));

        for (int u = 0; u < cfg.users(); u++) {
            List<String> history = itemsByUser.get(d.users().token(u));
            assertThat(d.test().itemsOf(u))
                    .containsExactly(d.items().indexOf(history.get(history.size() - 1)));
            assertThat(d.valid().itemsOf(u))
                    .containsExactly(d.items().indexOf(history.get(history.size() - 2)));
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void streamsAMillionEventsQuickly() {
        SyntheticConfig cfg =
                SyntheticConfig.builder().users(50_000).items(20_000).seed(11).build();
        long start = System.nanoTime();

        long count = SyntheticDataset.eventStream(cfg).limit(1_000_000).count();

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("synthetic: %d events in %.2f s%n", count, seconds);
        assertThat(count).isEqualTo(1_000_000);
    }
}
