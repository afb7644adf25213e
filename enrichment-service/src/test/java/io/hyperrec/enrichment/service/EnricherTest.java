package io.hyperrec.enrichment.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TaggingValidator;
import io.hyperrec.enrichment.TextEmbedder;
import io.hyperrec.enrichment.llm.FallbackTagger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnricherTest {
    private static final ItemText HEADPHONES =
            new ItemText(
                    "sku-1",
                    "Sony WH-1000XM5",
                    "Wireless over-ear headphones.",
                    Map.of("category", "Audio", "brand", "Sony"));

    private final HashingEmbedder embedder = new HashingEmbedder();
    private Enricher enricher;

    @AfterEach
    void tearDown() {
        if (enricher != null) {
            enricher.close();
        }
    }

    private Enricher enricher(io.hyperrec.enrichment.Tagger tagger, int parallelism) {
        enricher =
                new Enricher(
                        tagger,
                        embedder,
                        EnricherOptions.builder().parallelism(parallelism).build());
        return enricher;
    }

    private static ItemText item(String id) {
        return new ItemText(id, "Title of " + id, "Text of " + id, Map.of());
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** An embedder answering {@code vector} for every text. */
    private static TextEmbedder constant(int dim, Function<String, float[]> vector) {
        return new TextEmbedder() {
            @Override
            public List<float[]> embed(List<String> texts) {
                return texts.stream().map(vector).toList();
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public String name() {
                return "test:constant";
            }
        };
    }

    @Test
    void embedsAWholeBatchInOneEmbedderCall() {
        Enricher e = enricher(new StubOfflineTagger(), 2);
        List<ItemText> items = List.of(item("a"), item("b"), item("c"), item("d"), item("e"));

        List<EnrichmentResult> results = e.enrichAll(items);

        assertThat(results).allMatch(EnrichmentResult::isSuccess);
        assertThat(embedder.calls())
                .containsExactly(items.stream().map(ItemText::document).toList());
        assertThat(e.stats().embedderCalls()).isEqualTo(1);
    }

    @Test
    void answersEachItemInOrderWithItsTaggingTheEmbeddingOfItsDocumentAndItsHash()
            throws Exception {
        Enricher e = enricher(new StubOfflineTagger(), 2);
        List<ItemText> items = List.of(HEADPHONES, item("b"), item("c"));

        List<EnrichmentResult> results = e.enrichAll(items);

        assertThat(results).extracting(EnrichmentResult::item).containsExactly("sku-1", "b", "c");
        for (int i = 0; i < items.size(); i++) {
            ItemText it = items.get(i);
            Enrichment en = results.get(i).get();
            assertThat(en.item()).isEqualTo(it.item());
            assertThat(en.tagging()).isEqualTo(StubOfflineTagger.tagging(it));
            assertThat(en.embedding()).containsExactly(HashingEmbedder.vector(it.document()));
            assertThat(en.textEncoder()).isEqualTo(HashingEmbedder.NAME);
            assertThat(en.contentHash()).isEqualTo(sha256(it.document()));
            assertThat(en.taggingMillis()).isNotNegative();
            assertThat(en.embeddingMillis()).isNotNegative();
        }
        assertThat(results.get(0).get().tagging().levels().get(1)).containsExactly("audio");
    }

    @Test
    void aFailingTaggingFailsOnlyItsItem() {
        Enricher e = enricher(new StubOfflineTagger(), 2);

        List<EnrichmentResult> results = e.enrichAll(List.of(item("a"), item("bad-b"), item("c")));

        assertThat(results)
                .extracting(EnrichmentResult::isSuccess)
                .containsExactly(true, false, true);
        assertThat(results.get(1).item()).isEqualTo("bad-b");
        assertThat(results.get(1).error())
                .hasMessage(
                        "item 'bad-b': tagging by offline:test failed: cannot tag item 'bad-b'");
        assertThat(e.stats().enriched()).isEqualTo(2);
        assertThat(e.stats().failures()).isEqualTo(1);
        assertThat(e.stats().items()).isEqualTo(3);
    }

    @Test
    void aTextTheEmbedderRejectsFailsOnlyItsItemAfterEmbeddingOneByOne() {
        Enricher e = enricher(new StubOfflineTagger(), 2);
        ItemText poisoned = new ItemText("b", "Bad", HashingEmbedder.POISON, Map.of());

        List<EnrichmentResult> results = e.enrichAll(List.of(item("a"), poisoned, item("c")));

        assertThat(results)
                .extracting(EnrichmentResult::isSuccess)
                .containsExactly(true, false, true);
        assertThat(results.get(1).error())
                .hasMessage(
                        "item 'b': embedding by test:hashing-8 failed: cannot embed a text"
                                + " containing EMBED-FAIL");
        assertThat(results.get(2).get().embedding())
                .containsExactly(HashingEmbedder.vector(item("c").document()));
        assertThat(embedder.calls()).hasSize(4);
        assertThat(e.stats().embedderCalls()).isEqualTo(4);
    }

    @Test
    void aTaggingBreakingTheRulesFailsItsItemNamingTheRule() {
        Enricher e = enricher(new StubOfflineTagger(), 1);
        ItemText markup = new ItemText("m", "<b>Bold</b>", "", Map.of());

        EnrichmentResult r = e.enrichAll(List.of(markup)).get(0);

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.error().getMessage())
                .startsWith("item 'm': tagging by offline:test failed: summary \"<b>Bold</b>.\"")
                .endsWith("(SUMMARY_MARKUP)");
    }

    @Test
    void normalisesTaggingsBeforeAnsweringThem() {
        Enricher e = enricher(new StubOfflineTagger(), 1);
        ItemText shouting = new ItemText("s", "Loud", "", Map.of("category", "  AUDIO  Gear "));

        Enrichment en = e.enrich(shouting);

        assertThat(en.tagging().levels().get(1)).containsExactly("audio gear");
    }

    @Test
    void rejectsAVectorThatIsNotUnitLength() {
        enricher =
                new Enricher(
                        new StubOfflineTagger(),
                        constant(2, text -> new float[] {2, 0}),
                        EnricherOptions.defaults());

        assertThatThrownBy(() -> enricher.enrich(item("a")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage(
                        "item 'a': embedding by test:constant is invalid: it is not"
                                + " L2-normalised: its norm is 2.0");
    }

    @Test
    void rejectsAVectorOfTheWrongDimensionOrWithANonFiniteValue() {
        enricher =
                new Enricher(
                        new StubOfflineTagger(),
                        constant(
                                3,
                                text ->
                                        text.contains("nan")
                                                ? new float[] {Float.NaN, 1, 0}
                                                : new float[] {1, 0}),
                        EnricherOptions.defaults());

        List<EnrichmentResult> results = enricher.enrichAll(List.of(item("short"), item("nan")));

        assertThat(results.get(0).error())
                .hasMessage(
                        "item 'short': embedding by test:constant is invalid: it has 2 values,"
                                + " expected dim 3");
        assertThat(results.get(1).error())
                .hasMessage("item 'nan': embedding by test:constant is invalid: value 0 is NaN");
    }

    @Test
    void anEmbedderAnsweringTooFewVectorsFailsNoItemSilently() {
        TextEmbedder dropsOne =
                new TextEmbedder() {
                    @Override
                    public List<float[]> embed(List<String> texts) {
                        return texts.size() == 1 ? List.of(new float[] {1, 0}) : List.of();
                    }

                    @Override
                    public int dim() {
                        return 2;
                    }

                    @Override
                    public String name() {
                        return "test:drops";
                    }
                };
        enricher = new Enricher(new StubOfflineTagger(), dropsOne, EnricherOptions.defaults());

        List<EnrichmentResult> results = enricher.enrichAll(List.of(item("a"), item("b")));

        assertThat(results).allMatch(EnrichmentResult::isSuccess);
        assertThat(enricher.stats().embedderCalls()).isEqualTo(3);
    }

    @Test
    void countsOfflineTaggingsAfterAnLlmFailureAsFallbacks() {
        FallbackTagger tagger =
                new FallbackTagger(
                        new FlakyLlmTagger(), new StubOfflineTagger(), TaggingValidator.defaults());
        Enricher e = enricher(tagger, 2);

        List<EnrichmentResult> results = e.enrichAll(List.of(item("ok"), item("flaky-1")));

        assertThat(results.get(0).get().tagging()).isEqualTo(FlakyLlmTagger.tagging());
        assertThat(results.get(1).get().tagging().offline()).isTrue();
        assertThat(results.get(1).get().tagging().fallbackReason())
                .isEqualTo("llm:test failed: the LLM is down");
        assertThat(e.stats().fallbacks()).isEqualTo(1);
        assertThat(e.stats().enriched()).isEqualTo(2);
    }

    @Test
    void anOfflineTaggerAloneIsNotAFallback() {
        Enricher e = enricher(new StubOfflineTagger(), 1);

        e.enrich(item("a"));

        assertThat(e.stats().fallbacks()).isZero();
        assertThat(e.stats().enriched()).isEqualTo(1);
    }

    @Test
    void enrichThrowsTheItemsFailure() {
        Enricher e = enricher(new StubOfflineTagger(), 1);

        assertThatThrownBy(() -> e.enrich(item("bad-1")))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage(
                        "item 'bad-1': tagging by offline:test failed: cannot tag item 'bad-1'");
    }

    @Test
    void anEmptyBatchIsAnsweredWithoutCallingTheEmbedder() {
        Enricher e = enricher(new StubOfflineTagger(), 1);

        assertThat(e.enrichAll(List.of())).isEmpty();
        assertThat(embedder.calls()).isEmpty();
    }

    @Test
    void tagsAtMostParallelismItemsAtOnce() throws Exception {
        GatedTagger tagger = new GatedTagger();
        Enricher e = enricher(tagger, 2);
        List<ItemText> items =
                List.of(item("a"), item("b"), item("c"), item("d"), item("e"), item("f"));

        CompletableFuture<List<EnrichmentResult>> results =
                CompletableFuture.supplyAsync(() -> e.enrichAll(items));
        assertThat(tagger.awaitEntered(2)).isTrue();
        tagger.openForGood();

        assertThat(results.get(10, TimeUnit.SECONDS)).allMatch(EnrichmentResult::isSuccess);
        assertThat(tagger.maxInFlight()).isEqualTo(2);
        assertThat(embedder.calls()).hasSize(1);
    }

    @Test
    void closingFailsEveryItemNotYetTaggedRatherThanDroppingIt() throws Exception {
        GatedTagger tagger = new GatedTagger();
        Enricher e = enricher(tagger, 1);
        CompletableFuture<List<EnrichmentResult>> results =
                CompletableFuture.supplyAsync(
                        () -> e.enrichAll(List.of(item("a"), item("b"), item("c"))));
        assertThat(tagger.awaitEntered(1)).isTrue();

        e.close();

        List<EnrichmentResult> r = results.get(10, TimeUnit.SECONDS);
        assertThat(r).extracting(EnrichmentResult::item).containsExactly("a", "b", "c");
        assertThat(r.get(0).error())
                .hasMessage(
                        "item 'a': tagging by offline:gated failed: interrupted while tagging"
                                + " item 'a'");
        assertThat(r.get(1).error())
                .hasMessage("item 'b': the enricher was closed before it was tagged");
        assertThat(r.get(2).error())
                .hasMessage("item 'c': the enricher was closed before it was tagged");
        assertThat(e.stats().failures()).isEqualTo(3);
    }

    @Test
    void aClosedEnricherRefusesWork() {
        Enricher e = enricher(new StubOfflineTagger(), 1);
        e.close();

        assertThat(e.isClosed()).isTrue();
        assertThatThrownBy(() -> e.enrichAll(List.of(item("a"))))
                .isInstanceOf(EnrichmentException.class)
                .hasMessage("enricher is closed");
    }

    @Test
    void observesEveryItemsLatencyInTheHistogram() {
        Enricher e = enricher(new StubOfflineTagger(), 2);

        e.enrichAll(List.of(item("a"), item("bad-b"), item("c")));

        long[] buckets = e.stats().latencyBucketCounts();
        assertThat(buckets).hasSize(EnricherStats.latencyBoundsSeconds().length + 1);
        assertThat(java.util.Arrays.stream(buckets).sum()).isEqualTo(3);
        assertThat(e.stats().latencySumSeconds()).isGreaterThanOrEqualTo(0);
    }
}
