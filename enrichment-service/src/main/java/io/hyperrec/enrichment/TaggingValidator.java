package io.hyperrec.enrichment;

import io.hyperrec.enrichment.InvalidTaggingException.Rule;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the schema rules every {@link Tagger}'s output follows, whoever produced it (the LLM
 * tagger, the offline tagger, a cached reply). Immutable and thread-safe.
 *
 * <h2>Normal form</h2>
 *
 * Tags are compared and stored in one normal form, produced by {@link #normaliseTag}: Unicode NFC,
 * leading and trailing whitespace stripped, lower-cased with {@link Locale#ROOT}, runs of spaces
 * collapsed to one. Lower case makes {@code "Shoes"} and {@code "shoes"} one tag, so the tag graph
 * has one node per concept; brand capitalisation is lost, which tags do not need. Summaries are
 * normalised by {@link #normaliseSummary}: NFC, every run of ASCII whitespace (line breaks
 * included) becomes one space, then stripped; their case is kept. {@link #check} normalises and
 * then validates; {@link #validate} validates as is and rejects a value that is not in normal form,
 * so a tagger that normalises itself can be checked without being changed.
 *
 * <h2>Rules</h2>
 *
 * Each failure throws an {@link InvalidTaggingException} naming the value and the {@link Rule}:
 *
 * <ul>
 *   <li>exactly {@link Tagging#LEVELS} levels, level 0 the most general ({@link Rule#LEVEL_COUNT});
 *   <li>each level has 1 to {@link #maxTagsPerLevel()} tags ({@link Rule#LEVEL_SIZE});
 *   <li>each tag is 1 to {@link #maxTagLength()} characters (code points) long ({@link
 *       Rule#TAG_LENGTH}), made only of letters, combining marks, digits (any script), the space
 *       and {@value #TAG_PUNCTUATION}, with at least one letter or digit ({@link
 *       Rule#TAG_CHARACTERS}) — so no markup, backticks, braces, colons, line breaks or control
 *       characters — and is not a link: no {@code www.} and no {@code domain.tld/} ({@link
 *       Rule#TAG_LINK}; {@code scheme://} is already excluded by the colon);
 *   <li>no tag twice on a level ({@link Rule#DUPLICATE_TAG}) or on two levels ({@link
 *       Rule#TAG_ON_TWO_LEVELS});
 *   <li>both ends of an edge are generated tags ({@link Rule#EDGE_UNKNOWN_TAG}), the child one
 *       level below the parent ({@link Rule#EDGE_NOT_ADJACENT}), no edge twice ({@link
 *       Rule#DUPLICATE_EDGE});
 *   <li>every tag of levels 1 and 2 has at least one parent ({@link Rule#ORPHAN_TAG}); several
 *       parents are allowed (the tags form a layered DAG, not necessarily a tree), and a level-0
 *       tag need not have children;
 *   <li>the summary is not empty ({@link Rule#SUMMARY_EMPTY}), at most {@link #maxSummaryLength()}
 *       characters ({@link Rule#SUMMARY_LENGTH}), without control, format, private-use, unassigned
 *       or line/paragraph separator characters ({@link Rule#SUMMARY_CHARACTERS}), without markup
 *       {@code < > ` { }} or Markdown links {@code ](} ({@link Rule#SUMMARY_MARKUP}), and without
 *       links {@code ://} or {@code www.} ({@link Rule#SUMMARY_LINK});
 *   <li>the tagger name is not blank and a fallback reason only comes with the offline flag ({@link
 *       Rule#PROVENANCE}).
 * </ul>
 */
public final class TaggingValidator {
    /** Default largest number of tags on one level. */
    public static final int DEFAULT_MAX_TAGS_PER_LEVEL = 8;

    /** Default longest tag, in characters (code points). */
    public static final int DEFAULT_MAX_TAG_LENGTH = 48;

    /** Default longest summary, in characters (code points). */
    public static final int DEFAULT_MAX_SUMMARY_LENGTH = 400;

    /** The punctuation a tag may contain besides letters, marks, digits and the space. */
    public static final String TAG_PUNCTUATION = "&-'/.,+";

    private static final Pattern SPACE_RUNS = Pattern.compile(" {2,}");
    private static final Pattern WHITESPACE_RUNS = Pattern.compile("\\s+");
    private static final Pattern TAG_LINK =
            Pattern.compile("(^|[^\\p{L}\\p{N}])www\\.|[\\p{L}\\p{N}-]+\\.\\p{L}{2,}/");
    private static final Pattern SUMMARY_LINK =
            Pattern.compile("://|(^|[^\\p{L}\\p{N}])www\\.", Pattern.CASE_INSENSITIVE);
    private static final String SUMMARY_MARKUP_CHARS = "<>`{}";
    private static final int QUOTE_MAX = 60;

    private static final TaggingValidator DEFAULTS = builder().build();

    private final int maxTagsPerLevel;
    private final int maxTagLength;
    private final int maxSummaryLength;

    private TaggingValidator(Builder b) {
        this.maxTagsPerLevel = b.maxTagsPerLevel;
        this.maxTagLength = b.maxTagLength;
        this.maxSummaryLength = b.maxSummaryLength;
    }

    /** The validator with every default limit. */
    public static TaggingValidator defaults() {
        return DEFAULTS;
    }

    /** A builder with every default limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** The largest number of tags on one level. */
    public int maxTagsPerLevel() {
        return maxTagsPerLevel;
    }

    /** The longest tag, in characters (code points). */
    public int maxTagLength() {
        return maxTagLength;
    }

    /** The longest summary, in characters (code points). */
    public int maxSummaryLength() {
        return maxSummaryLength;
    }

    /**
     * A tag in normal form: NFC, stripped, lower-cased ({@link Locale#ROOT}), runs of spaces
     * collapsed. Other whitespace inside the tag is kept (and then rejected by {@link
     * Rule#TAG_CHARACTERS}).
     */
    public static String normaliseTag(String tag) {
        String s = Normalizer.normalize(tag, Normalizer.Form.NFC).strip().toLowerCase(Locale.ROOT);
        return SPACE_RUNS.matcher(Normalizer.normalize(s, Normalizer.Form.NFC)).replaceAll(" ");
    }

    /** A summary in normal form: NFC, runs of ASCII whitespace as one space, stripped. */
    public static String normaliseSummary(String summary) {
        String s = Normalizer.normalize(summary, Normalizer.Form.NFC);
        return WHITESPACE_RUNS.matcher(s).replaceAll(" ").strip();
    }

    /**
     * Normalises every tag, edge end and the summary, then {@link #validate validates}.
     *
     * @return the normalised tagging
     * @throws InvalidTaggingException naming the value and the rule it breaks
     */
    public Tagging check(Tagging tagging) {
        Objects.requireNonNull(tagging, "tagging");
        List<List<String>> levels =
                tagging.levels().stream()
                        .map(level -> level.stream().map(TaggingValidator::normaliseTag).toList())
                        .toList();
        List<TagEdge> edges =
                tagging.edges().stream()
                        .map(e -> new TagEdge(normaliseTag(e.parent()), normaliseTag(e.child())))
                        .toList();
        return validate(
                new Tagging(
                        normaliseSummary(tagging.summary()),
                        levels,
                        edges,
                        tagging.tagger(),
                        tagging.offline(),
                        tagging.fallbackReason()));
    }

    /**
     * Validates a tagging as is: every rule, and every tag and the summary already in normal form.
     *
     * @return {@code tagging}
     * @throws InvalidTaggingException naming the value and the rule it breaks
     */
    public Tagging validate(Tagging tagging) {
        Objects.requireNonNull(tagging, "tagging");
        checkProvenance(tagging);
        Map<String, Integer> levelOf = checkLevels(tagging.levels());
        checkEdges(tagging, levelOf);
        validateSummary(tagging.summary());
        return tagging;
    }

    /**
     * Normalises and validates a free-standing summary text, such as a user's preference summary,
     * by the summary rules.
     *
     * @return the normalised summary
     * @throws InvalidTaggingException naming the value and the rule it breaks
     */
    public String checkSummary(String summary) {
        Objects.requireNonNull(summary, "summary");
        String normal = normaliseSummary(summary);
        validateSummary(normal);
        return normal;
    }

    private static void checkProvenance(Tagging t) {
        if (t.tagger().isBlank()) {
            throw new InvalidTaggingException(
                    Rule.PROVENANCE, "tagger name " + quote(t.tagger()) + " is blank");
        }
        if (t.fallbackReason() != null && !t.offline()) {
            throw new InvalidTaggingException(
                    Rule.PROVENANCE,
                    "fallback reason "
                            + quote(t.fallbackReason())
                            + " given on a tagging that is not offline");
        }
    }

    /** Checks the levels and their tags; returns each tag's level. */
    private Map<String, Integer> checkLevels(List<List<String>> levels) {
        if (levels.size() != Tagging.LEVELS) {
            throw new InvalidTaggingException(
                    Rule.LEVEL_COUNT,
                    "expected exactly " + Tagging.LEVELS + " levels, got " + levels.size());
        }
        Map<String, Integer> levelOf = new HashMap<>();
        for (int l = 0; l < levels.size(); l++) {
            List<String> level = levels.get(l);
            if (level.isEmpty() || level.size() > maxTagsPerLevel) {
                throw new InvalidTaggingException(
                        Rule.LEVEL_SIZE,
                        "level "
                                + l
                                + " has "
                                + level.size()
                                + " tags, expected 1 to "
                                + maxTagsPerLevel);
            }
            for (String tag : level) {
                checkTag(tag, l);
                Integer earlier = levelOf.putIfAbsent(tag, l);
                if (earlier != null && earlier == l) {
                    throw new InvalidTaggingException(
                            Rule.DUPLICATE_TAG,
                            "tag " + quote(tag) + " appears twice on level " + l);
                }
                if (earlier != null) {
                    throw new InvalidTaggingException(
                            Rule.TAG_ON_TWO_LEVELS,
                            "tag " + quote(tag) + " appears on levels " + earlier + " and " + l);
                }
            }
        }
        return levelOf;
    }

    private void checkTag(String tag, int level) {
        if (!tag.equals(normaliseTag(tag))) {
            throw new InvalidTaggingException(
                    Rule.NOT_NORMALISED,
                    "tag "
                            + quote(tag)
                            + " on level "
                            + level
                            + " is not in normal form "
                            + quote(normaliseTag(tag)));
        }
        int length = tag.codePointCount(0, tag.length());
        if (length < 1 || length > maxTagLength) {
            throw new InvalidTaggingException(
                    Rule.TAG_LENGTH,
                    "tag "
                            + quote(tag)
                            + " on level "
                            + level
                            + " is "
                            + length
                            + " characters long, expected 1 to "
                            + maxTagLength);
        }
        boolean letterOrDigit = false;
        for (int i = 0; i < tag.length(); ) {
            int cp = tag.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                letterOrDigit = true;
            } else if (!isTagMark(cp) && cp != ' ' && TAG_PUNCTUATION.indexOf(cp) < 0) {
                throw new InvalidTaggingException(
                        Rule.TAG_CHARACTERS,
                        "tag "
                                + quote(tag)
                                + " on level "
                                + level
                                + " has the character "
                                + describe(cp)
                                + ", which is not allowed; allowed are letters, digits, spaces"
                                + " and "
                                + TAG_PUNCTUATION);
            }
        }
        if (!letterOrDigit) {
            throw new InvalidTaggingException(
                    Rule.TAG_CHARACTERS,
                    "tag " + quote(tag) + " on level " + level + " has no letter or digit");
        }
        if (TAG_LINK.matcher(tag).find()) {
            throw new InvalidTaggingException(
                    Rule.TAG_LINK, "tag " + quote(tag) + " on level " + level + " is a link");
        }
    }

    private static boolean isTagMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static void checkEdges(Tagging t, Map<String, Integer> levelOf) {
        Set<TagEdge> seen = new HashSet<>();
        Set<String> withParent = new HashSet<>();
        for (TagEdge e : t.edges()) {
            Integer parentLevel = levelOf.get(e.parent());
            Integer childLevel = levelOf.get(e.child());
            if (parentLevel == null || childLevel == null) {
                String unknown = parentLevel == null ? e.parent() : e.child();
                throw new InvalidTaggingException(
                        Rule.EDGE_UNKNOWN_TAG,
                        "edge "
                                + describe(e)
                                + " names "
                                + quote(unknown)
                                + ", which is not a tag of any level");
            }
            if (childLevel != parentLevel + 1) {
                throw new InvalidTaggingException(
                        Rule.EDGE_NOT_ADJACENT,
                        "edge "
                                + describe(e)
                                + " goes from level "
                                + parentLevel
                                + " to level "
                                + childLevel
                                + ", expected from level l to level l + 1");
            }
            if (!seen.add(e)) {
                throw new InvalidTaggingException(
                        Rule.DUPLICATE_EDGE, "edge " + describe(e) + " appears twice");
            }
            withParent.add(e.child());
        }
        List<List<String>> levels = t.levels();
        for (int l = 1; l < levels.size(); l++) {
            for (String tag : levels.get(l)) {
                if (!withParent.contains(tag)) {
                    throw new InvalidTaggingException(
                            Rule.ORPHAN_TAG,
                            "tag "
                                    + quote(tag)
                                    + " on level "
                                    + l
                                    + " has no parent on level "
                                    + (l - 1));
                }
            }
        }
    }

    private void validateSummary(String summary) {
        if (!summary.equals(normaliseSummary(summary))) {
            throw new InvalidTaggingException(
                    Rule.NOT_NORMALISED, "summary " + quote(summary) + " is not in normal form");
        }
        if (summary.isEmpty()) {
            throw new InvalidTaggingException(Rule.SUMMARY_EMPTY, "summary is empty");
        }
        int length = summary.codePointCount(0, summary.length());
        if (length > maxSummaryLength) {
            throw new InvalidTaggingException(
                    Rule.SUMMARY_LENGTH,
                    "summary "
                            + quote(summary)
                            + " is "
                            + length
                            + " characters long, expected at most "
                            + maxSummaryLength);
        }
        for (int i = 0; i < summary.length(); ) {
            int cp = summary.codePointAt(i);
            i += Character.charCount(cp);
            if (isForbiddenInSummary(cp)) {
                throw new InvalidTaggingException(
                        Rule.SUMMARY_CHARACTERS,
                        "summary " + quote(summary) + " has the character " + describe(cp));
            }
            if (SUMMARY_MARKUP_CHARS.indexOf(cp) >= 0) {
                throw new InvalidTaggingException(
                        Rule.SUMMARY_MARKUP,
                        "summary " + quote(summary) + " has the markup character " + describe(cp));
            }
        }
        if (summary.contains("](")) {
            throw new InvalidTaggingException(
                    Rule.SUMMARY_MARKUP, "summary " + quote(summary) + " has a Markdown link");
        }
        if (SUMMARY_LINK.matcher(summary).find()) {
            throw new InvalidTaggingException(
                    Rule.SUMMARY_LINK, "summary " + quote(summary) + " has a link");
        }
    }

    private static boolean isForbiddenInSummary(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return true;
            default:
                return false;
        }
    }

    private static String describe(TagEdge e) {
        return quote(e.parent()) + " -> " + quote(e.child());
    }

    private static String describe(int cp) {
        return String.format(
                Locale.ROOT,
                "%s (U+%04X)",
                Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                        ? "?"
                        : "'" + new String(Character.toChars(cp)) + "'",
                cp);
    }

    /**
     * The value in double quotes for a message: control and format characters escaped as {@code
     * \\uXXXX}, cut after {@value #QUOTE_MAX} characters.
     */
    static String quote(String value) {
        StringBuilder b = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (shown++ == QUOTE_MAX) {
                b.append("...");
                break;
            }
            int type = Character.getType(cp);
            if (Character.isISOControl(cp)
                    || type == Character.FORMAT
                    || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                b.append(String.format(Locale.ROOT, "\\u%04X", cp));
            } else if (cp == '"' || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return "TaggingValidator{maxTagsPerLevel="
                + maxTagsPerLevel
                + ", maxTagLength="
                + maxTagLength
                + ", maxSummaryLength="
                + maxSummaryLength
                + "}";
    }

    /** Builds a {@link TaggingValidator}; not thread-safe. */
    public static final class Builder {
        private int maxTagsPerLevel = DEFAULT_MAX_TAGS_PER_LEVEL;
        private int maxTagLength = DEFAULT_MAX_TAG_LENGTH;
        private int maxSummaryLength = DEFAULT_MAX_SUMMARY_LENGTH;

        private Builder() {}

        /** Sets the largest number of tags on one level: 1 to 64. */
        public Builder maxTagsPerLevel(int n) {
            this.maxTagsPerLevel = inRange("maxTagsPerLevel", n, 1, 64);
            return this;
        }

        /** Sets the longest tag in characters: 1 to 200. */
        public Builder maxTagLength(int n) {
            this.maxTagLength = inRange("maxTagLength", n, 1, 200);
            return this;
        }

        /** Sets the longest summary in characters: 1 to 4000. */
        public Builder maxSummaryLength(int n) {
            this.maxSummaryLength = inRange("maxSummaryLength", n, 1, 4000);
            return this;
        }

        /** The validator. */
        public TaggingValidator build() {
            return new TaggingValidator(this);
        }

        private static int inRange(String name, int n, int min, int max) {
            if (n < min || n > max) {
                throw new IllegalArgumentException(
                        name + " must be in [" + min + ", " + max + "], got " + n);
            }
            return n;
        }
    }
}
