package io.hyperrec.enrichment.llm;

import io.hyperrec.enrichment.EnrichmentException;
import io.hyperrec.enrichment.ItemText;
import io.hyperrec.enrichment.Tagger;
import io.hyperrec.enrichment.Tagging;
import io.hyperrec.enrichment.TaggingValidator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tags with a primary tagger (the LLM) and falls back to an offline one when the primary fails:
 * onboarding an item never waits on, or fails with, the LLM.
 *
 * <p>The primary fails when it throws an {@link EnrichmentException} (the LLM tagger's only
 * failure) or returns a tagging the {@link TaggingValidator} rejects; the result is then {@code
 * offline.tag(item).asFallback(reason)}, the reason being the failure's message. Other exceptions
 * from the primary are programming errors and propagate. An offline tagger that throws, or returns
 * a tagging the validator rejects, fails the call: there is nothing left to fall back to.
 *
 * <p>Thread-safe when both taggers are.
 */
public final class FallbackTagger implements Tagger {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackTagger.class);

    private final Tagger primary;
    private final Tagger offline;
    private final TaggingValidator validator;
    private final AtomicLong fallbacks = new AtomicLong();

    /**
     * @param primary tried first
     * @param offline used when the primary fails; must not depend on the primary's service
     * @param validator the rules both taggers' output must pass after normalising ({@link
     *     TaggingValidator#check}: the offline tagger's taxonomy names keep their case)
     */
    public FallbackTagger(Tagger primary, Tagger offline, TaggingValidator validator) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.offline = Objects.requireNonNull(offline, "offline");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /**
     * The primary's tagging, or the offline one marked as a fallback with the primary's failure.
     *
     * @throws EnrichmentException only when the offline tagger fails too
     */
    @Override
    public Tagging tag(ItemText item) {
        Objects.requireNonNull(item, "item");
        String reason;
        try {
            return validator.check(primary.tag(item));
        } catch (EnrichmentException e) {
            reason = primary.name() + " failed: " + e.getMessage();
        }
        fallbacks.incrementAndGet();
        LOG.warn("item '{}': falling back to {}: {}", item.item(), offline.name(), reason);
        return validator.check(offline.tag(item)).asFallback(reason);
    }

    /** How many taggings fell back to the offline tagger. */
    public long fallbacks() {
        return fallbacks.get();
    }

    /**
     * {@code <primary>|fallback:<offline>}. A tagging records the tagger that produced it, the
     * primary's or the offline one's name, never this composite.
     */
    @Override
    public String name() {
        return primary.name() + "|fallback:" + offline.name();
    }

    @Override
    public String toString() {
        return "FallbackTagger{" + name() + "}";
    }
}
