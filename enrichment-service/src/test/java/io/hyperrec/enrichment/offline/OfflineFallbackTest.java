package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TaggingValidator;
import io.hyperrec.enrichment.embed.MiniLmEmbedder;
import io.hyperrec.enrichment.llm.FallbackTagger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real offline tagger behind {@link FallbackTagger}, as the onboarding job uses it. */
class OfflineFallbackTest {
    @Test
    void aFailingLlmFallsBackToTheOfflineTaggersValidNormalisedTagging() {
        try (MiniLmEmbedder embedder = MiniLmEmbedder.create()) {
            OfflineTagger offline =
                    OfflineTagger.create(
                            Taxonomy.fromJoinedCategoryPaths(
                                    List.of(
                                            "Beauty > Makeup > Lips > Lipstick",
                                            "Beauty > Makeup > Face > Concealer",
                                            "Beauty > Hair Care > Shampoo")),
                            embedder,
                            OfflineTaggerOptions.defaults());
            Tagger down =
                    new Tagger() {
                        @Override
                        public Tagging tag(ItemText item) {
                            throw new EnrichmentException("503 from the LLM server");
                        }

                        @Override
                        public String name() {
                            return "llm:down";
                        }
                    };
            TaggingValidator validator = TaggingValidator.defaults();

            Tagging t =
                    new FallbackTagger(down, offline, validator)
                            .tag(
                                    new ItemText(
                                            "sku-1",
                                            "Classic Satin Lipstick, Ruby Red",
                                            "",
                                            Map.of()));

            assertThat(t.offline()).isTrue();
            assertThat(t.fallbackReason()).isEqualTo("llm:down failed: 503 from the LLM server");
            assertThat(validator.validate(t)).isEqualTo(t);
            assertThat(t.levels().get(0)).containsExactly("makeup");
        }
    }
}
