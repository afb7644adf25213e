package io.hyperrec.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.EmbeddingUpsert;
import io.hyperrec.core.model.EmbeddingUpsert.Kind;
import io.hyperrec.core.model.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final int DIM = 5;

    @TempDir Path dir;

    private static final List<ScoredItem> POPULAR =
            List.of(
                    new ScoredItem("i3", 30),
                    new ScoredItem("i1", 20),
                    new ScoredItem("i7", 10),
                    new ScoredItem("i2", 5));

    private static EmbeddingUpsert upsert(Kind kind, String id, float[] v, long version, long seq) {
        return new EmbeddingUpsert(kind, id, v, version, seq, OptionalLong.empty());
    }

    private static List<String> ids(Recommendations r) {
        return r.items().stream().map(ScoredItem::item).toList();
    }

    @Test
    void servesTheSameTopKAsABruteForceSort() {
        TrainedModel m = TestModels.random(1, 4, "i", 60, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            PublishedVersion v = store.publish(1, m, Map.of("valid_recall@20", 0.25), POPULAR);

            assertThat(v.version()).isEqualTo(1);
            assertThat(store.currentVersion()).hasValue(1);
            for (String user : m.users().tokens()) {
                Recommendations r = store.recommend(user, 10);
                assertThat(r.user()).isEqualTo(user);
                assertThat(r.modelVersion()).isEqualTo(1);
                assertThat(r.fallback()).isFalse();
                float[] u = TestModels.userPoint(m, user);
                assertThat(ids(r))
                        .containsExactlyElementsOf(TestModels.bruteForce(m, u, 10, Set.of()));
                ScoredItem best = r.items().get(0);
                assertThat(best.score())
                        .isCloseTo(
                                (float)
                                        -Lorentz.sqdist(
                                                u, 0, TestModels.itemPoint(m, best.item()), 0, DIM),
                                within(1e-6f));
            }
            assertThat(store.stats().recommendationsServed()).isEqualTo(4);
        }
    }

    @Test
    void recordsTheFreshnessOfUpsertsThatCarryASourceTime() {
        TrainedModel m = TestModels.random(1, 4, "i", 20, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            float[] p = TestModels.userPoint(m, m.users().token(0));
            long sent = System.currentTimeMillis() - 500;
            assertThat(
                            store.apply(
                                    new EmbeddingUpsert(
                                            Kind.USER, "u-new", p, 1, 1, OptionalLong.of(sent))))
                    .isTrue();
            assertThat(store.apply(upsert(Kind.USER, "u-other", p, 1, 1))).isTrue();
            // A replayed upsert is dropped and not measured again.
            assertThat(
                            store.apply(
                                    new EmbeddingUpsert(
                                            Kind.USER, "u-new", p, 1, 1, OptionalLong.of(sent))))
                    .isFalse();
            assertThat(store.freshness().getTotalCount()).isEqualTo(1);
            assertThat(store.freshness().getMinValue()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void excludesSeenAndHiddenItems() {
        TrainedModel m = TestModels.random(2, 2, "i", 40, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            float[] u = TestModels.userPoint(m, "u0");
            List<String> before = TestModels.bruteForce(m, u, 5, Set.of());

            store.recordInteraction("u0", before.get(0), 1000);
            store.recordInteraction("u0", before.get(2), 1001);
            store.recordInteraction("u1", before.get(1), 1002); // another user's history
            store.hide(before.get(3));

            assertThat(store.seenItems("u0"))
                    .containsExactlyInAnyOrder(before.get(0), before.get(2));
            Set<String> skip = Set.of(before.get(0), before.get(2), before.get(3));
            assertThat(ids(store.recommend("u0", 5)))
                    .containsExactlyElementsOf(TestModels.bruteForce(m, u, 5, skip))
                    .doesNotContainAnyElementsOf(skip)
                    .contains(before.get(1));

            store.unhide(before.get(3));
            assertThat(ids(store.recommend("u0", 5))).contains(before.get(3));
        }
    }

    @Test
    void unknownUsersGetThePopularItemsMarkedFallback() {
        TrainedModel m = TestModels.random(3, 2, "i", 10, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            store.recordInteraction("newcomer", "i3", 5);
            store.hide("i7");

            Recommendations r = store.recommend("newcomer", 2);

            assertThat(r.fallback()).isTrue();
            assertThat(r.modelVersion()).isEqualTo(1);
            assertThat(r.items())
                    .containsExactly(new ScoredItem("i1", 20), new ScoredItem("i2", 5));
            assertThat(store.stats().fallbacksServed()).isEqualTo(1);
        }
    }

    @Test
    void recommendBeforeAnyPublishFailsNamingTheStore() {
        try (ModelStore store = ModelStore.open(dir)) {
            assertThat(store.currentVersion()).isEmpty();
            assertThatThrownBy(() -> store.recommend("u0", 3))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no published model version yet")
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void keepsPublishedVersionsUpToTheRetentionAndRejectsOlderPublishes() {
        ModelStoreOptions options = ModelStoreOptions.builder(dir).retainedVersions(2).build();
        try (ModelStore store = ModelStore.open(options)) {
            for (long v = 1; v <= 3; v++) {
                store.publish(v, TestModels.random(v, 3, "i", 8, DIM), Map.of(), POPULAR);
            }

            assertThat(store.versions())
                    .extracting(PublishedVersion::version)
                    .containsExactly(2L, 3L);
            assertThat(store.countRows(Kind.USER, 1, false)).isZero();
            assertThat(store.countRows(Kind.ITEM, 1, false)).isZero();
            assertThat(store.countRows(Kind.USER, 2, false)).isEqualTo(3);
            assertThat(store.countRows(Kind.ITEM, 3, false)).isEqualTo(8);
            assertThat(dir.resolve("snapshots/v1")).doesNotExist();
            assertThat(dir.resolve("snapshots/v2/model.json")).isRegularFile();
            assertThat(store.vector(Kind.USER, "u0", 2)).isPresent();
            assertThat(store.vector(Kind.USER, "u0", 1)).isEmpty();

            assertThatThrownBy(
                            () ->
                                    store.publish(
                                            3,
                                            TestModels.random(9, 1, "i", 2, DIM),
                                            Map.of(),
                                            List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("greater than the current version 3")
                    .hasMessageContaining("got 3");
        }
        try (ModelStore store = ModelStore.open(options)) {
            assertThat(store.versions())
                    .extracting(PublishedVersion::version)
                    .containsExactly(2L, 3L);
            assertThat(store.currentVersion()).hasValue(3);
        }
    }

    @Test
    void aCrashBetweenRowsAndFlipKeepsThePreviousVersionAndIsCleanedUpOnOpen() {
        TrainedModel v1 = TestModels.random(4, 3, "i", 12, DIM);
        TrainedModel v2 = TestModels.random(5, 3, "j", 12, DIM);
        AtomicBoolean crash = new AtomicBoolean(false);
        ModelStoreOptions options =
                ModelStoreOptions.builder(dir)
                        .beforeFlip(
                                () -> {
                                    if (crash.get()) {
                                        throw new IllegalStateException("simulated crash");
                                    }
                                })
                        .build();
        ModelStore store = ModelStore.open(options);
        store.publish(1, v1, Map.of(), POPULAR);
        crash.set(true);

        assertThatThrownBy(() -> store.publish(2, v2, Map.of(), POPULAR))
                .hasMessage("simulated crash");

        assertThat(store.currentVersion()).hasValue(1);
        assertThat(ids(store.recommend("u0", 3))).allMatch(i -> i.startsWith("i"));
        assertThat(store.countRows(Kind.ITEM, 2, false)).isEqualTo(12); // leftovers, unserved
        store.close();

        try (ModelStore reopened = ModelStore.open(options)) {
            assertThat(reopened.currentVersion()).hasValue(1);
            assertThat(reopened.countRows(Kind.ITEM, 2, false)).isZero();
            assertThat(reopened.countRows(Kind.USER, 2, false)).isZero();
            assertThat(dir.resolve("snapshots/v2")).doesNotExist();
            assertThat(dir.resolve("snapshots/v1/model.json")).isRegularFile();
            assertThat(ids(reopened.recommend("u0", 3)))
                    .containsExactlyElementsOf(
                            TestModels.bruteForce(v1, TestModels.userPoint(v1, "u0"), 3, Set.of()));

            crash.set(false);
            reopened.publish(2, v2, Map.of(), POPULAR);
            assertThat(ids(reopened.recommend("u0", 3))).allMatch(i -> i.startsWith("j"));
        }
    }

    @Test
    void dropsUpdatesOlderThanWhatIsStoredAndCountsThem() {
        TrainedModel m = TestModels.random(6, 2, "i", 10, DIM);
        Random rnd = new Random(6);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            float[] a = TestModels.point(rnd, DIM);
            float[] b = TestModels.point(rnd, DIM);

            assertThat(store.apply(upsert(Kind.USER, "u0", a, 1, 5))).isTrue();
            assertThat(store.apply(upsert(Kind.USER, "u0", b, 1, 5))).isFalse();
            assertThat(store.apply(upsert(Kind.USER, "u0", b, 1, 3))).isFalse();
            assertThat(store.vector(Kind.USER, "u0"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(a));
            assertThat(store.apply(upsert(Kind.USER, "u0", b, 1, 6))).isTrue();
            assertThat(store.vector(Kind.USER, "u0"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(b));

            store.publish(2, TestModels.random(7, 2, "i", 10, DIM), Map.of(), POPULAR);
            assertThat(store.apply(upsert(Kind.USER, "u0", a, 1, 99))).isFalse(); // stale version

            StoreStats stats = store.stats();
            assertThat(stats.updatesApplied()).containsEntry(Kind.USER, 2L);
            assertThat(stats.updatesDropped()).containsEntry(Kind.USER, 3L);
            assertThat(stats.totalDropped()).isEqualTo(3);
        }
    }

    @Test
    void theServedUserPointIsTheLatestUpsertOfTheCurrentVersion() {
        TrainedModel m = TestModels.random(8, 1, "i", 30, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            // Move u0 onto item i17: it must become the nearest item.
            float[] target = TestModels.itemPoint(m, "i17");
            store.apply(new EmbeddingUpsert(Kind.USER, "u0", target, 1, 0, OptionalLong.of(1234)));

            Recommendations r = store.recommend("u0", 3);

            assertThat(r.items().get(0).item()).isEqualTo("i17");
            assertThat(r.items().get(0).score()).isCloseTo(0f, within(1e-6f));
            assertThat(store.stats().lastAppliedSourceTimeMillis()).hasValue(1234);
        }
    }

    @Test
    void updatesForAVersionNotYetPublishedAreKeptAndServedOnlyForIt() {
        TrainedModel v1 = TestModels.random(9, 2, "i", 20, DIM);
        TrainedModel v2 = TestModels.random(10, 2, "i", 20, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, v1, Map.of(), POPULAR);
            float[] early = TestModels.itemPoint(v2, "i4");
            float[] earlyItem = TestModels.point(new Random(10), DIM);

            assertThat(store.apply(upsert(Kind.USER, "u0", early, 2, 0))).isTrue();
            assertThat(store.apply(upsert(Kind.ITEM, "i19", earlyItem, 2, 0))).isTrue();

            // Still version 1's published point, and version 1's item table.
            assertThat(store.vector(Kind.USER, "u0"))
                    .hasValueSatisfying(
                            v -> assertThat(v).containsExactly(TestModels.userPoint(v1, "u0")));
            assertThat(ids(store.recommend("u0", 5)))
                    .containsExactlyElementsOf(
                            TestModels.bruteForce(v1, TestModels.userPoint(v1, "u0"), 5, Set.of()));

            store.publish(2, v2, Map.of(), POPULAR);

            // The early upsert survived the publish of its version and is now served.
            assertThat(store.vector(Kind.USER, "u0"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(early));
            assertThat(store.vector(Kind.ITEM, "i19"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(earlyItem));
            Recommendations r = store.recommend("u0", 5);
            assertThat(r.modelVersion()).isEqualTo(2);
            assertThat(r.items().get(0).item()).isEqualTo("i4");
        }
    }

    @Test
    void itemUpsertsPatchTheServedMatrixAndSurviveReopen() {
        TrainedModel m = TestModels.random(11, 1, "i", 25, DIM);
        float[] u = TestModels.userPoint(m, "u0");
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of(), POPULAR);
            assertThat(store.apply(upsert(Kind.ITEM, "fresh", u, 1, 0))).isTrue();
            assertThat(store.currentItemCount()).isEqualTo(26);

            assertThat(store.recommend("u0", 1).items().get(0).item()).isEqualTo("fresh");
            assertThat(store.item("fresh"))
                    .hasValueSatisfying(
                            meta -> {
                                assertThat(meta.introducedIn()).isEqualTo(1L);
                                assertThat(meta.inCurrentVersion()).isTrue();
                            });
        }
        try (ModelStore store = ModelStore.open(dir)) {
            assertThat(store.currentItemCount()).isEqualTo(26);
            assertThat(store.recommend("u0", 1).items().get(0).item()).isEqualTo("fresh");
        }
    }

    @Test
    void rejectsUpsertsWhoseDimensionDiffersFromTheirVersion() {
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, TestModels.random(12, 1, "i", 3, DIM), Map.of(), POPULAR);
            assertThatThrownBy(
                            () -> store.apply(upsert(Kind.ITEM, "x", new float[] {1, 0, 0}, 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ITEM 'x' has 3 coordinates, model version 1 has dim 5");
        }
    }

    @Test
    void reopenAfterCloseServesTheSameVersionVectorsAndState() {
        TrainedModel m = TestModels.random(13, 3, "i", 30, DIM);
        float[] moved = TestModels.point(new Random(13), DIM);
        List<String> before;
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, m, Map.of("valid_recall@20", 0.5), POPULAR);
            store.apply(upsert(Kind.USER, "u1", moved, 1, 4));
            store.apply(upsert(Kind.TAG, "t:shoes", moved, 1, 0));
            store.recordInteraction("u1", "i5", 7);
            store.hide("i9");
            before = ids(store.recommend("u1", 8));
        }
        try (ModelStore store = ModelStore.open(dir)) {
            assertThat(store.currentVersion()).hasValue(1);
            assertThat(store.version(1))
                    .hasValueSatisfying(
                            v -> {
                                assertThat(v.metrics()).containsEntry("valid_recall@20", 0.5);
                                assertThat(v.popularItems()).isEqualTo(POPULAR);
                                assertThat(v.dim()).isEqualTo(DIM);
                            });
            assertThat(store.vector(Kind.USER, "u1"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(moved));
            assertThat(store.vector(Kind.TAG, "t:shoes")).isPresent();
            assertThat(store.isHidden("i9")).isTrue();
            assertThat(ids(store.recommend("u1", 8))).isEqualTo(before).doesNotContain("i5", "i9");
            // Replays after restart are still recognised as old.
            assertThat(store.apply(upsert(Kind.USER, "u1", moved, 1, 4))).isFalse();
        }
    }

    @Test
    void backupAndRestoreGiveBackTheSameVersionAndVectors() throws Exception {
        TrainedModel m = TestModels.random(14, 3, "i", 20, DIM);
        float[] moved = TestModels.point(new Random(14), DIM);
        Path backup = dir.resolve("backup");
        List<String> before;
        try (ModelStore store = ModelStore.open(dir.resolve("live"))) {
            store.publish(1, TestModels.random(15, 3, "i", 20, DIM), Map.of(), POPULAR);
            store.publish(2, m, Map.of("valid_recall@20", 0.3), POPULAR);
            store.apply(upsert(Kind.USER, "u2", moved, 2, 0));
            before = ids(store.recommend("u2", 6));
            store.backup(backup);
            // Changes after the backup are not in it.
            store.apply(upsert(Kind.USER, "u2", TestModels.point(new Random(1), DIM), 2, 1));
            assertThatThrownBy(() -> store.backup(backup))
                    .hasMessageContaining("missing or empty directory");
        }

        Path restored = dir.resolve("restored");
        ModelStore.restore(backup, restored);

        try (ModelStore store = ModelStore.open(restored)) {
            assertThat(store.currentVersion()).hasValue(2);
            assertThat(store.versions())
                    .extracting(PublishedVersion::version)
                    .containsExactly(1L, 2L);
            assertThat(store.vector(Kind.USER, "u2"))
                    .hasValueSatisfying(v -> assertThat(v).containsExactly(moved));
            assertThat(store.vector(Kind.USER, "u0"))
                    .hasValueSatisfying(
                            v -> assertThat(v).containsExactly(TestModels.userPoint(m, "u0")));
            assertThat(ids(store.recommend("u2", 6))).isEqualTo(before);
            PublishedVersion v2 = store.version(2).orElseThrow();
            assertThat(v2.location()).isEqualTo(restored.toAbsolutePath().resolve("snapshots/v2"));
            assertThat(TrainedModel.load(v2.location()).itemPoints())
                    .containsExactly(m.itemPoints());
        }
        assertThatThrownBy(() -> ModelStore.restore(backup, restored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already holds a database");
        assertThatThrownBy(() -> ModelStore.restore(dir.resolve("nothing"), dir.resolve("x")))
                .hasMessageContaining("no model store backup in");
        assertThat(Files.exists(dir.resolve("x/db"))).isFalse();
    }

    @Test
    void exportsOneLoadableSnapshotDirectoryPerVersion() {
        TrainedModel m = TestModels.random(16, 3, "i", 9, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            PublishedVersion v = store.publish(7, m, Map.of("valid_recall@20", 0.125), POPULAR);

            assertThat(v.location()).isEqualTo(dir.toAbsolutePath().resolve("snapshots/v7"));
            TrainedModel loaded = TrainedModel.load(v.location());
            assertThat(loaded.users()).isEqualTo(m.users());
            assertThat(loaded.items()).isEqualTo(m.items());
            assertThat(loaded.itemPoints()).containsExactly(m.itemPoints());
            assertThat(loaded.userPoints()).containsExactly(m.userPoints());
            assertThat(loaded.metadata()).containsEntry("variant", "test");
            assertThat(((Number) loaded.metadata().get(Snapshots.MODEL_VERSION)).longValue())
                    .isEqualTo(7);
            assertThat(Snapshots.popularItems(loaded)).isEqualTo(POPULAR);
            assertThat(Snapshots.metrics(loaded)).containsEntry("valid_recall@20", 0.125);
        }
    }

    @Test
    void keepsItemMetadataFromEveryTopic() {
        TrainedModel m = TestModels.random(17, 1, "i", 4, DIM);
        try (ModelStore store = ModelStore.open(dir)) {
            store.recordItemCreated("i2", "Red shoes");
            store.recordItemEnriched(
                    "i2",
                    "Running shoes in red.",
                    List.of(List.of("apparel"), List.of("shoes"), List.of("running-shoes")));
            assertThat(store.item("i2"))
                    .hasValueSatisfying(meta -> assertThat(meta.introducedIn()).isNull());
            store.publish(3, m, Map.of(), POPULAR);
            store.hide("i2");

            ItemMetadata meta = store.item("i2").orElseThrow();
            assertThat(meta.title()).isEqualTo("Red shoes");
            assertThat(meta.summary()).isEqualTo("Running shoes in red.");
            assertThat(meta.tagLevels())
                    .containsExactly(
                            List.of("apparel"), List.of("shoes"), List.of("running-shoes"));
            assertThat(meta.introducedIn()).isEqualTo(3L);
            assertThat(meta.inCurrentVersion()).isTrue();
            assertThat(meta.hidden()).isTrue();

            ItemMetadata bare = store.item("i0").orElseThrow();
            assertThat(bare.title()).isNull();
            assertThat(bare.tagLevels()).isEmpty();
            assertThat(bare.introducedIn()).isEqualTo(3L);
            assertThat(store.item("nope")).isEmpty();

            store.publish(4, m, Map.of(), POPULAR);
            assertThat(store.item("i2").orElseThrow().introducedIn()).isEqualTo(3L);
        }
    }

    @Test
    void concurrentRequestsSeeOneWholeVersionWhilePublishesAndUpsertsRun() throws Exception {
        int versions = 12;
        AtomicBoolean done = new AtomicBoolean(false);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong served = new AtomicLong();
        try (ModelStore store =
                ModelStore.open(ModelStoreOptions.builder(dir).retainedVersions(3).build())) {
            store.publish(1, TestModels.random(100, 5, "v1-i", 200, DIM), Map.of(), List.of());
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int seed = t;
                Thread reader =
                        new Thread(
                                () -> {
                                    Random rnd = new Random(seed);
                                    try {
                                        do {
                                            Recommendations r =
                                                    store.recommend("u" + rnd.nextInt(5), 10);
                                            String prefix = "v" + r.modelVersion() + "-";
                                            assertThat(r.fallback()).isFalse();
                                            assertThat(r.items()).hasSize(10);
                                            assertThat(ids(r)).allMatch(i -> i.startsWith(prefix));
                                            served.incrementAndGet();
                                        } while (!done.get());
                                    } catch (Throwable e) {
                                        errors.add(e);
                                    }
                                },
                                "reader-" + t);
                readers.add(reader);
                reader.start();
            }
            Random rnd = new Random(99);
            for (long v = 2; v <= versions; v++) {
                for (int n = 0; n < 20; n++) {
                    long current = store.currentVersion().getAsLong();
                    store.apply(
                            upsert(
                                    Kind.ITEM,
                                    "v" + current + "-new" + n,
                                    TestModels.point(rnd, DIM),
                                    current,
                                    0));
                    store.apply(
                            upsert(
                                    Kind.USER,
                                    "u" + (n % 5),
                                    TestModels.point(rnd, DIM),
                                    current,
                                    n));
                }
                store.publish(
                        v,
                        TestModels.random(100 + v, 5, "v" + v + "-i", 200, DIM),
                        Map.of(),
                        List.of());
            }
            done.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(errors).isEmpty();
            assertThat(served.get()).isGreaterThanOrEqualTo(3);
            assertThat(store.currentVersion()).hasValue(versions);
        }
    }

    @Test
    void aClosedStoreRefusesCallsAndClosingTwiceIsHarmless() {
        ModelStore store = ModelStore.open(dir);
        store.publish(1, TestModels.random(18, 1, "i", 3, DIM), Map.of(), POPULAR);
        store.close();
        store.close();
        assertThat(store.isOpen()).isFalse();
        assertThatThrownBy(() -> store.recommend("u0", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> store.recordInteraction("u0", "i1", 1))
                .hasMessageContaining("is closed");
    }

    @Test
    void namesTheDirectoryWhenItCannotOpen() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> ModelStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void validatesArgumentsNamingTheValue() {
        try (ModelStore store = ModelStore.open(dir)) {
            store.publish(1, TestModels.random(19, 1, "i", 3, DIM), Map.of(), POPULAR);
            assertThatThrownBy(() -> store.recommend("u0", 0))
                    .hasMessage("k must be positive, got 0");
            assertThatThrownBy(() -> store.recordInteraction("", "i1", 0))
                    .hasMessage("user must be a non-empty string, got ''");
            assertThatThrownBy(
                            () ->
                                    store.publish(
                                            0,
                                            TestModels.random(1, 1, "i", 1, DIM),
                                            Map.of(),
                                            List.of()))
                    .hasMessage("version must be >= 1, got 0");
        }
        assertThatThrownBy(() -> ModelStoreOptions.builder(dir).retainedVersions(0))
                .hasMessage("retainedVersions must be at least 1 (the current version), got 0");
    }
}
