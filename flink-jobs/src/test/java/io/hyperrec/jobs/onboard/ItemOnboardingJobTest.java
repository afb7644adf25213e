package io.hyperrec.jobs.onboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.coldstart.ColdStartFitter;
import io.hyperrec.core.data.IdMap;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.model.TrainedModel;
import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TextEmbedder;
import io.hyperrec.enrichment.service.Enricher;
import io.hyperrec.enrichment.service.Enrichment;
import io.hyperrec.enrichment.service.EnrichmentClient;
import io.hyperrec.enrichment.service.EnrichmentClientFactory;
import io.hyperrec.enrichment.service.InProcessEnrichmentClient;
import io.hyperrec.jobs.online.ControlEvent;
import io.hyperrec.jobs.online.KafkaRecord;
import io.hyperrec.jobs.online.Rejected;
import io.hyperrec.jobs.retrain.RetrainOperator;
import io.hyperrec.schemas.avro.ItemCreated;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemOnboardingJobTest {
    private static final int DIM = 9;

    @TempDir Path tmp;

    /** A deterministic 8-dimensional "encoder": a unit vector from the text's hash. */
    static final class HashEmbedder implements TextEmbedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                SplittableRandom r = new SplittableRandom(t.hashCode());
                float[] v = new float[8];
                double n = 0;
                for (int j = 0; j < 8; j++) {
                    v[j] = (float) r.nextGaussian();
                    n += v[j] * v[j];
                }
                for (int j = 0; j < 8; j++) {
                    v[j] /= (float) Math.sqrt(n);
                }
                out.add(v);
            }
            return out;
        }

        @Override
        public int dim() {
            return 8;
        }

        @Override
        public String name() {
            return "test:hash-8";
        }
    }

    /** Three levels from the title's first letter (a stand-in for the offline taxonomy). */
    static final class LetterTagger implements Tagger {
        static List<List<String>> levels(String title) {
            char c = Character.toLowerCase(title.charAt(0));
            return List.of(
                    List.of("group " + (c % 3)), List.of("letter " + c), List.of("leaf " + c));
        }

        @Override
        public Tagging tag(ItemText item) {
            List<List<String>> l = levels(item.title());
            return new Tagging(
                    "A " + item.title() + ".",
                    l,
                    List.of(
                            new TagEdge(l.get(0).get(0), l.get(1).get(0)),
                            new TagEdge(l.get(1).get(0), l.get(2).get(0))),
                    name(),
                    true,
                    null);
        }

        @Override
        public String name() {
            return "offline:letters";
        }
    }

    static EnrichmentClient offlineClient() {
        return new InProcessEnrichmentClient(
                Enricher.create(new LetterTagger(), new HashEmbedder()), 2);
    }

    static final AtomicInteger PRIMARY_CALLS = new AtomicInteger();

    /** An LLM service that answers 503 to everything. */
    static EnrichmentClient downClient() {
        return new EnrichmentClient() {
            @Override
            public CompletableFuture<Enrichment> enrich(ItemText item) {
                PRIMARY_CALLS.incrementAndGet();
                return CompletableFuture.failedFuture(
                        new EnrichmentException("503 Service Unavailable from the LLM server"));
            }

            @Override
            public void close() {}
        };
    }

    /** Version 1: items i1..i40 with titles "A…", "B…", …; its cold-start model fitted on them. */
    private ControlEvent versionOne() {
        int n = 40;
        SplittableRandom rnd = new SplittableRandom(2);
        float[] points = new float[n * DIM];
        List<List<String>> tags = new ArrayList<>();
        List<float[]> text = new ArrayList<>();
        HashEmbedder e = new HashEmbedder();
        for (int i = 0; i < n; i++) {
            String title = (char) ('A' + i % 6) + "rticle " + i;
            float[] u = new float[DIM];
            for (int j = 1; j < DIM; j++) {
                u[j] = (float) (0.3 * rnd.nextGaussian() + 0.2 * (i % 6 == j ? 1 : 0));
            }
            Lorentz.expmap0(u, 0, points, i * DIM, DIM);
            List<String> all = new ArrayList<>();
            LetterTagger.levels(title).forEach(all::addAll);
            tags.add(all);
            text.add(e.embed(List.of(new ItemText("x", title, "", Map.of()).document())).get(0));
        }
        TrainedModel m =
                new TrainedModel(
                        IdMap.sequential("u", 1, 3),
                        IdMap.sequential("i", 1, n),
                        new float[3 * DIM],
                        points,
                        DIM,
                        Map.of());
        Path dir = tmp.resolve("v1");
        m.save(dir);
        List<String> tagNames = new ArrayList<>();
        tags.forEach(
                t ->
                        t.forEach(
                                x -> {
                                    if (!tagNames.contains(x)) {
                                        tagNames.add(x);
                                    }
                                }));
        float[] tagPoints = new float[tagNames.size() * DIM];
        for (int t = 0; t < tagNames.size(); t++) {
            float[] u = new float[DIM];
            u[1 + t % (DIM - 1)] = 0.3f;
            Lorentz.expmap0(u, 0, tagPoints, t * DIM, DIM);
        }
        ColdStartFitter.fit(
                        new ColdStartFitter.Inputs(
                                DIM, points, tags, tagNames, tagPoints, text, "test:hash-8"),
                        ColdStartFitter.Options.defaults())
                .save(dir.resolve(RetrainOperator.COLD_START_DIR));
        return ControlEvent.version(1, dir.toString(), Map.of(0, 10L));
    }

    private static KafkaRecord item(long offset, String id, String title, String text)
            throws java.io.IOException {
        ByteBuffer b =
                ItemCreated.newBuilder()
                        .setItem(id)
                        .setTitle(title)
                        .setText(text)
                        .setAttributes(Map.of("brand", "Acme"))
                        .setEventTime(Instant.ofEpochMilli(1000 + offset))
                        .build()
                        .toByteBuffer();
        byte[] v = new byte[b.remaining()];
        b.get(v);
        return new KafkaRecord("items.new", 0, offset, 5000 + offset, null, v);
    }

    private static List<KafkaRecord> input() throws java.io.IOException {
        List<KafkaRecord> in = new ArrayList<>();
        in.add(item(0, "n1", "Article new one", "fresh"));
        in.add(
                new KafkaRecord(
                        "items.new", 0, 1, 0, null, "junk".getBytes(StandardCharsets.UTF_8)));
        in.add(item(2, "n2", "Brand new", ""));
        in.add(item(3, " ", "Blank id", ""));
        in.add(item(4, "i3", "Clearly warm", "already trained"));
        in.add(item(5, "n3", "", ""));
        in.add(item(6, "n4", "Dusty", "a new item"));
        return in;
    }

    record Run(List<EnrichedItem> enriched, List<ItemPlaced> placed, List<Rejected> rejected) {}

    private Run run(EnrichmentClientFactory primary, int attempts) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        ItemOnboardingJob.Settings d =
                ItemOnboardingJob.Settings.defaults(
                        "unused:9092", "test", primary, ItemOnboardingJobTest::offlineClient);
        ItemOnboardingJob.Settings s =
                new ItemOnboardingJob.Settings(
                        d.bootstrapServers(),
                        d.groupId(),
                        d.enrichment(),
                        d.offline(),
                        d.timeout(),
                        8,
                        attempts,
                        java.time.Duration.ofMillis(5),
                        d.decoder(),
                        d.versionDecoder(),
                        d.enrichedEncoder(),
                        d.updateEncoder(),
                        d.deadLetterEncoder());
        ItemOnboardingJob.Streams st =
                ItemOnboardingJob.build(
                        env.fromData(
                                TypeInformation.of(KafkaRecord.class),
                                input().toArray(new KafkaRecord[0])),
                        env.fromData(TypeInformation.of(ControlEvent.class), versionOne()),
                        s);
        List<EnrichedItem> enriched = new ArrayList<>();
        List<ItemPlaced> placed = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        try (CloseableIterator<Object> all =
                st.enriched()
                        .map(x -> (Object) x)
                        .returns(TypeInformation.of(Object.class))
                        .union(
                                st.placed()
                                        .map(x -> (Object) x)
                                        .returns(TypeInformation.of(Object.class)),
                                st.rejected()
                                        .map(x -> (Object) x)
                                        .returns(TypeInformation.of(Object.class)))
                        .executeAndCollect()) {
            all.forEachRemaining(
                    o -> {
                        if (o instanceof EnrichedItem x) {
                            enriched.add(x);
                        } else if (o instanceof ItemPlaced x) {
                            placed.add(x);
                        } else {
                            rejected.add((Rejected) o);
                        }
                    });
        }
        return new Run(enriched, placed, rejected);
    }

    @Test
    void everyGoodItemIsEnrichedAndPlacedAndEveryBadOneIsRejectedWithItsReason() throws Exception {
        Run r = run(ItemOnboardingJobTest::offlineClient, 3);

        assertThat(r.rejected())
                .extracting(x -> x.record.offset)
                .containsExactlyInAnyOrder(1L, 3L, 5L);
        assertThat(r.rejected())
                .extracting(x -> x.reason)
                .anySatisfy(m -> assertThat(m).startsWith("value is not an ItemCreated record: "))
                .contains(
                        "item must be a non-blank id, got ' '",
                        "item 'n3' has neither a title nor a text: nothing to enrich it from");
        assertThat(r.enriched())
                .extracting(x -> x.item)
                .containsExactlyInAnyOrder("n1", "n2", "i3", "n4");
        assertThat(r.enriched())
                .allSatisfy(
                        x -> {
                            assertThat(x.tagger).isEqualTo("offline:letters");
                            assertThat(x.fallbackReason).isNull();
                            assertThat(x.text).hasSize(8);
                        });
        // i3 is warm in version 1: its trained point is served, nothing is placed.
        assertThat(r.placed()).extracting(p -> p.item).containsExactlyInAnyOrder("n1", "n2", "n4");
        assertThat(r.placed())
                .allSatisfy(
                        p -> {
                            assertThat(p.version).isEqualTo(1);
                            assertThat(p.seq).isEqualTo(1);
                            assertThat(p.method).isEqualTo("TAGS_AND_TEXT");
                            assertThat(Lorentz.inner(p.point, 0, p.point, 0, DIM))
                                    .isCloseTo(-1.0, org.assertj.core.api.Assertions.within(1e-4));
                        });
    }

    @Test
    void aFailingEnrichmentServiceIsRetriedThenTheOfflinePathOnboardsEveryItemFlagged()
            throws Exception {
        PRIMARY_CALLS.set(0);

        Run r = run(ItemOnboardingJobTest::downClient, 3);

        assertThat(r.enriched())
                .hasSize(4)
                .allSatisfy(
                        x -> {
                            assertThat(x.offline).isTrue();
                            assertThat(x.fallbackReason)
                                    .isEqualTo(
                                            "EnrichmentException: 503 Service Unavailable from the LLM server");
                        });
        assertThat(r.placed()).hasSize(3);
        // At least one request per item and at most the 3 attempts each: a bounded input ends
        // before every retry is due, and Flink's async operator then stops retrying
        // (retryDisabledOnFinish) and emits the fallback it has.
        assertThat(PRIMARY_CALLS.get()).isBetween(4, 12);
    }
}
