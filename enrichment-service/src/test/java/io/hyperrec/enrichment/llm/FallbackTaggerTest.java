package io.hyperrec.enrichment.llm;

import static io.hyperrec.enrichment.llm.FakeOpenAiServer.status;
import static io.hyperrec.enrichment.llm.Fixtures.HEADPHONES;
import static io.hyperrec.enrichment.llm.Fixtures.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.InvalidTaggingException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TaggingValidator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FallbackTaggerTest {
    private static final TaggingValidator V = TaggingValidator.defaults();

    /** A test-only tagger answering with a function of the item. */
    private record StubTagger(String name, Function<ItemText, Tagging> answer) implements Tagger {
        @Override
        public Tagging tag(ItemText item) {
            return answer.apply(item);
        }
    }

    private static Tagging tagging(String tagger, String leaf) {
        return new Tagging(
                "An item.",
                List.of(List.of("root"), List.of("branch"), List.of(leaf)),
                List.of(new TagEdge("root", "branch"), new TagEdge("branch", leaf)),
                tagger,
                false,
                null);
    }

    private static final Tagger OFFLINE =
            new StubTagger("offline:test", item -> tagging("offline:test", "offline leaf"));

    private static Tagger failing(RuntimeException e) {
        return new StubTagger(
                "llm:test",
                item -> {
                    throw e;
                });
    }

    @Test
    void returnsThePrimarysTaggingWhenItSucceeds() {
        Tagger primary = new StubTagger("llm:test", item -> tagging("llm:test", "llm leaf"));
        FallbackTagger tagger = new FallbackTagger(primary, OFFLINE, V);

        Tagging t = tagger.tag(HEADPHONES);

        assertThat(t).isEqualTo(tagging("llm:test", "llm leaf"));
        assertThat(tagger.fallbacks()).isZero();
        assertThat(tagger.name()).isEqualTo("llm:test|fallback:offline:test");
    }

    @Test
    void fallsBackToTheOfflineTaggingWithTheReasonWhenThePrimaryFails() {
        FallbackTagger tagger =
                new FallbackTagger(
                        failing(new EnrichmentException("item 'sku-42': server down")), OFFLINE, V);

        Tagging t = tagger.tag(HEADPHONES);

        assertThat(t.tagger()).isEqualTo("offline:test");
        assertThat(t.offline()).isTrue();
        assertThat(t.fallbackReason()).isEqualTo("llm:test failed: item 'sku-42': server down");
        assertThat(t.levels().get(2)).containsExactly("offline leaf");
        assertThat(tagger.fallbacks()).isEqualTo(1);
    }

    @Test
    void fallsBackWhenThePrimaryReturnsATaggingTheValidatorRejects() {
        Tagger sloppy =
                new StubTagger(
                        "llm:sloppy",
                        item ->
                                new Tagging(
                                        "x",
                                        List.of(List.of("a"), List.of("b")),
                                        List.of(),
                                        "llm:sloppy",
                                        false,
                                        null));

        Tagging t = new FallbackTagger(sloppy, OFFLINE, V).tag(HEADPHONES);

        assertThat(t.offline()).isTrue();
        assertThat(t.fallbackReason()).contains("LEVEL_COUNT");
    }

    @Test
    void throwsWhenTheOfflineTaggerFailsToo() {
        Tagger brokenOffline =
                new StubTagger("offline:broken", item -> tagging("offline:broken", "<b>leaf</b>"));
        FallbackTagger tagger =
                new FallbackTagger(failing(new EnrichmentException("down")), brokenOffline, V);

        assertThatThrownBy(() -> tagger.tag(HEADPHONES))
                .isInstanceOf(InvalidTaggingException.class)
                .hasMessageContaining("<b>leaf</b>");
    }

    @Test
    void letsProgrammingErrorsOfThePrimaryPropagate() {
        FallbackTagger tagger =
                new FallbackTagger(failing(new IllegalStateException("bug")), OFFLINE, V);

        assertThatThrownBy(() -> tagger.tag(HEADPHONES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bug");
        assertThat(tagger.fallbacks()).isZero();
    }

    @Test
    void fallsBackWhenTheLlmServerKeepsFailing() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.otherwise(status(503, "{\"error\":{\"message\":\"no GPU\"}}"));
            LlmTagger llm =
                    new LlmTagger(
                            Fixtures.client(options(server).build(), new RecordingSleeper()),
                            V,
                            null);

            Tagging t = new FallbackTagger(llm, OFFLINE, V).tag(HEADPHONES);

            assertThat(t.offline()).isTrue();
            assertThat(t.fallbackReason())
                    .startsWith("llm:" + Fixtures.MODEL + " failed: item 'sku-42'")
                    .contains("HTTP 503: no GPU");
            assertThat(server.requests()).hasSize(3);
        }
    }
}
