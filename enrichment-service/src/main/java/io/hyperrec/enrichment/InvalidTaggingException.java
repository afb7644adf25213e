package io.hyperrec.enrichment;

import java.util.Objects;

/**
 * A {@link Tagging} (or a summary text) broke one of the {@link TaggingValidator}'s rules. The
 * message names the offending value and the rule; {@link #rule()} gives the rule to code.
 */
public final class InvalidTaggingException extends EnrichmentException {
    /** The schema rules a tagging must follow; each failure names exactly one. */
    public enum Rule {
        /** There are exactly {@link Tagging#LEVELS} levels. */
        LEVEL_COUNT,
        /** Each level has between 1 and the maximum number of tags. */
        LEVEL_SIZE,
        /** A tag is between 1 and the maximum number of characters long. */
        TAG_LENGTH,
        /** A tag uses only whitelisted characters and has at least one letter or digit. */
        TAG_CHARACTERS,
        /** A tag is not a link or a domain name. */
        TAG_LINK,
        /** Tags and summaries are in normal form (see {@link TaggingValidator#normaliseTag}). */
        NOT_NORMALISED,
        /** No tag appears twice on one level. */
        DUPLICATE_TAG,
        /** No tag appears on two levels. */
        TAG_ON_TWO_LEVELS,
        /** Both ends of an edge are generated tags. */
        EDGE_UNKNOWN_TAG,
        /** An edge goes from a tag of level {@code l} to a tag of level {@code l + 1}. */
        EDGE_NOT_ADJACENT,
        /** No edge appears twice. */
        DUPLICATE_EDGE,
        /** Every tag below level 0 has at least one parent. */
        ORPHAN_TAG,
        /** The summary is not empty. */
        SUMMARY_EMPTY,
        /** The summary is at most the maximum number of characters long. */
        SUMMARY_LENGTH,
        /** The summary has no control, format, private-use or unpaired surrogate characters. */
        SUMMARY_CHARACTERS,
        /** The summary has no markup: no {@code < > ` { }} and no Markdown link. */
        SUMMARY_MARKUP,
        /** The summary has no links ({@code ://} or {@code www.}). */
        SUMMARY_LINK,
        /** The tagger name is not blank; a fallback reason only comes with the offline flag. */
        PROVENANCE
    }

    private final Rule rule;

    /**
     * @param rule the rule broken
     * @param message what broke it, naming the value
     */
    public InvalidTaggingException(Rule rule, String message) {
        super(message + " (" + Objects.requireNonNull(rule, "rule") + ")");
        this.rule = rule;
    }

    /** The rule broken. */
    public Rule rule() {
        return rule;
    }
}
