package io.hyperrec.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyperrec.enrichment.InvalidTaggingException.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaggingValidatorTest {
    private static final TaggingValidator V = TaggingValidator.defaults();
    private static final String SUMMARY = "Wireless over-ear headphones with noise cancelling.";
    private static final List<TagEdge> EDGES =
            List.of(
                    new TagEdge("electronics", "audio"),
                    new TagEdge("electronics", "computers"),
                    new TagEdge("audio", "headphones"),
                    new TagEdge("audio", "noise cancelling"));

    private static List<List<String>> levels() {
        return List.of(
                List.of("electronics"),
                List.of("audio", "computers"),
                List.of("headphones", "noise cancelling"));
    }

    private static Tagging tagging(String summary, List<List<String>> levels, List<TagEdge> edges) {
        return new Tagging(summary, levels, edges, "test", false, null);
    }

    private static Tagging withLevels(List<List<String>> levels, List<TagEdge> edges) {
        return tagging(SUMMARY, levels, edges);
    }

    /** The well-formed tagging with one tag of the most specific level replaced. */
    private static Tagging withLeaf(String leaf) {
        List<List<String>> levels =
                List.of(List.of("electronics"), List.of("audio", "computers"), List.of(leaf));
        return withLevels(
                levels,
                List.of(
                        new TagEdge("electronics", "audio"),
                        new TagEdge("electronics", "computers"),
                        new TagEdge("audio", leaf)));
    }

    private static Tagging withSummary(String summary) {
        return tagging(summary, levels(), EDGES);
    }

    private static void assertBreaks(Rule rule, Tagging t) {
        assertThatThrownBy(() -> V.check(t))
                .isInstanceOfSatisfying(
                        InvalidTaggingException.class, e -> assertThat(e.rule()).isEqualTo(rule))
                .hasMessageEndingWith("(" + rule + ")");
    }

    private static void assertPasses(Tagging t) {
        assertThat(V.check(t)).isEqualTo(V.validate(V.check(t)));
    }

    @Test
    void acceptsAWellFormedTaggingUnchanged() {
        Tagging t = withLevels(levels(), EDGES);

        assertThat(V.validate(t)).isSameAs(t);
        assertThat(V.check(t)).isEqualTo(t);
    }

    @Test
    void checkNormalisesTagsEdgesAndSummary() {
        Tagging messy =
                tagging(
                        "  Wireless   headphones,\n with  noise cancelling. ",
                        List.of(
                                List.of(" Electronics"),
                                List.of("AUDIO", "Computers "),
                                List.of("Head\u0070hones", "Noise   Cancelling")),
                        List.of(
                                new TagEdge("ELECTRONICS", "audio"),
                                new TagEdge("electronics", "COMPUTERS"),
                                new TagEdge("Audio", "headphones"),
                                new TagEdge("audio", "noise  cancelling")));

        Tagging checked = V.check(messy);

        assertThat(checked.levels()).isEqualTo(levels());
        assertThat(checked.edges()).isEqualTo(EDGES);
        assertThat(checked.summary()).isEqualTo("Wireless headphones, with noise cancelling.");
    }

    @Test
    void normalisesTagsToNfcLowerCase() {
        assertThat(TaggingValidator.normaliseTag("Cafe\u0301  Crème ")).isEqualTo("café crème");
    }

    @Test
    void validateRejectsTagsNotInNormalFormThatCheckAccepts() {
        Tagging upper =
                withLevels(
                        List.of(
                                List.of("Electronics"),
                                List.of("audio", "computers"),
                                List.of("headphones", "noise cancelling")),
                        List.of(
                                new TagEdge("Electronics", "audio"),
                                new TagEdge("Electronics", "computers"),
                                new TagEdge("audio", "headphones"),
                                new TagEdge("audio", "noise cancelling")));

        assertThatThrownBy(() -> V.validate(upper))
                .isInstanceOfSatisfying(
                        InvalidTaggingException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.NOT_NORMALISED))
                .hasMessageContaining("\"Electronics\"");
        assertThat(V.check(upper).levels()).isEqualTo(levels());
    }

    @Test
    void requiresExactlyThreeLevels() {
        assertBreaks(
                Rule.LEVEL_COUNT,
                withLevels(
                        List.of(List.of("electronics"), List.of("audio")),
                        List.of(new TagEdge("electronics", "audio"))));
        assertBreaks(
                Rule.LEVEL_COUNT,
                withLevels(
                        List.of(List.of("a"), List.of("b"), List.of("c"), List.of("d")),
                        List.of(new TagEdge("a", "b"), new TagEdge("b", "c"))));
        assertPasses(withLevels(levels(), EDGES));
    }

    @Test
    void requiresOneToMaxTagsOnEachLevel() {
        assertBreaks(
                Rule.LEVEL_SIZE,
                withLevels(
                        List.of(List.of("electronics"), List.of(), List.of("headphones")),
                        List.of()));

        List<String> leaves = new ArrayList<>();
        List<TagEdge> edges = new ArrayList<>(List.of(new TagEdge("electronics", "audio")));
        for (int i = 0; i < TaggingValidator.DEFAULT_MAX_TAGS_PER_LEVEL; i++) {
            leaves.add("leaf " + i);
            edges.add(new TagEdge("audio", "leaf " + i));
        }
        assertPasses(withLevels(List.of(List.of("electronics"), List.of("audio"), leaves), edges));

        leaves.add("one too many");
        edges.add(new TagEdge("audio", "one too many"));
        assertThatThrownBy(
                        () ->
                                V.check(
                                        withLevels(
                                                List.of(
                                                        List.of("electronics"),
                                                        List.of("audio"),
                                                        leaves),
                                                edges)))
                .hasMessageContaining("level 2 has 9 tags, expected 1 to 8")
                .hasMessageContaining("LEVEL_SIZE");
    }

    @Test
    void limitsTagLength() {
        assertPasses(withLeaf("x".repeat(TaggingValidator.DEFAULT_MAX_TAG_LENGTH)));
        assertBreaks(Rule.TAG_LENGTH, withLeaf("x".repeat(49)));
        assertBreaks(Rule.TAG_LENGTH, withLeaf("   "));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<script>",
                "a`b`",
                "{tag}",
                "line\nbreak",
                "tab\there",
                "http://evil",
                "nul\u0000char",
                "semi;colon",
                "under_score",
                "rtl\u202Eoverride",
                "---"
            })
    void rejectsTagsWithCharactersOutsideTheWhitelist(String tag) {
        assertBreaks(Rule.TAG_CHARACTERS, withLeaf(tag));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "café",
                "日本語",
                "हिन्दी",
                "hi-fi & audio",
                "rock 'n' roll",
                "4k/8k",
                "c++",
                "dr. martens",
                "1,000 pieces",
                "node.js"
            })
    void acceptsTagsOfLettersDigitsAndWhitelistedPunctuation(String tag) {
        assertPasses(withLeaf(tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"www.example.com", "example.com/deals", "buy at www.shop"})
    void rejectsTagsThatAreLinks(String tag) {
        assertBreaks(Rule.TAG_LINK, withLeaf(tag));
    }

    @Test
    void rejectsATagTwiceOnOneLevel() {
        Tagging twice =
                withLevels(
                        List.of(
                                List.of("electronics"),
                                List.of("audio", "Audio"),
                                List.of("headphones")),
                        List.of(
                                new TagEdge("electronics", "audio"),
                                new TagEdge("audio", "headphones")));

        assertBreaks(Rule.DUPLICATE_TAG, twice);
        assertThatThrownBy(() -> V.check(twice))
                .hasMessageContaining("\"audio\" appears twice on level 1");
    }

    @Test
    void rejectsATagOnTwoLevels() {
        Tagging repeated =
                withLevels(
                        List.of(List.of("electronics"), List.of("audio"), List.of("audio")),
                        List.of(new TagEdge("electronics", "audio")));

        assertBreaks(Rule.TAG_ON_TWO_LEVELS, repeated);
        assertThatThrownBy(() -> V.check(repeated))
                .hasMessageContaining("\"audio\" appears on levels 1 and 2");
    }

    @Test
    void rejectsEdgesToTagsThatWereNotGenerated() {
        List<TagEdge> unknownChild = new ArrayList<>(EDGES);
        unknownChild.add(new TagEdge("audio", "speakers"));
        List<TagEdge> unknownParent = new ArrayList<>(EDGES);
        unknownParent.add(new TagEdge("home", "audio"));

        assertBreaks(Rule.EDGE_UNKNOWN_TAG, withLevels(levels(), unknownChild));
        assertBreaks(Rule.EDGE_UNKNOWN_TAG, withLevels(levels(), unknownParent));
        assertThatThrownBy(() -> V.check(withLevels(levels(), unknownChild)))
                .hasMessageContaining("\"speakers\"");
    }

    @Test
    void rejectsEdgesBetweenLevelsThatAreNotAdjacentOrGoUpwards() {
        List<TagEdge> skipping = new ArrayList<>(EDGES);
        skipping.add(new TagEdge("electronics", "headphones"));
        List<TagEdge> upwards = new ArrayList<>(EDGES);
        upwards.add(new TagEdge("headphones", "audio"));
        List<TagEdge> sideways = new ArrayList<>(EDGES);
        sideways.add(new TagEdge("audio", "computers"));

        assertBreaks(Rule.EDGE_NOT_ADJACENT, withLevels(levels(), skipping));
        assertBreaks(Rule.EDGE_NOT_ADJACENT, withLevels(levels(), upwards));
        assertBreaks(Rule.EDGE_NOT_ADJACENT, withLevels(levels(), sideways));
        assertThatThrownBy(() -> V.check(withLevels(levels(), skipping)))
                .hasMessageContaining(
                        "\"electronics\" -> \"headphones\" goes from level 0 to level 2");
    }

    @Test
    void rejectsAnEdgeTwice() {
        List<TagEdge> twice = new ArrayList<>(EDGES);
        twice.add(new TagEdge("Audio", "headphones"));

        assertBreaks(Rule.DUPLICATE_EDGE, withLevels(levels(), twice));
    }

    @Test
    void requiresAParentForEveryTagBelowLevelZeroButAllowsSeveral() {
        List<TagEdge> orphaned = EDGES.subList(0, 3);
        List<TagEdge> twoParents = new ArrayList<>(EDGES);
        twoParents.add(new TagEdge("computers", "headphones"));

        assertBreaks(Rule.ORPHAN_TAG, withLevels(levels(), orphaned));
        assertThatThrownBy(() -> V.check(withLevels(levels(), orphaned)))
                .hasMessageContaining("\"noise cancelling\" on level 2 has no parent on level 1");
        assertPasses(withLevels(levels(), twoParents));
    }

    @Test
    void requiresANonEmptySummary() {
        assertBreaks(Rule.SUMMARY_EMPTY, withSummary(" \n\t "));
        assertPasses(withSummary("Headphones."));
    }

    @Test
    void limitsSummaryLength() {
        assertPasses(withSummary("x".repeat(TaggingValidator.DEFAULT_MAX_SUMMARY_LENGTH)));
        assertBreaks(Rule.SUMMARY_LENGTH, withSummary("x".repeat(401)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bell\u0007", "right-to-left \u202E override", "line\u2028separator"})
    void rejectsControlAndFormatCharactersInTheSummary(String summary) {
        assertBreaks(Rule.SUMMARY_CHARACTERS, withSummary(summary));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<img src=x onerror=alert(1)>",
                "Run `rm -rf` now.",
                "A {\"json\": true} summary.",
                "Click [here](javascript:alert(1))."
            })
    void rejectsMarkupInTheSummary(String summary) {
        assertBreaks(Rule.SUMMARY_MARKUP, withSummary(summary));
    }

    @ParameterizedTest
    @ValueSource(strings = {"See https://evil.example for more.", "Buy at WWW.evil.example now."})
    void rejectsLinksInTheSummary(String summary) {
        assertBreaks(Rule.SUMMARY_LINK, withSummary(summary));
    }

    @Test
    void acceptsPlainProseWithPunctuationAndEmojiInTheSummary() {
        assertPasses(withSummary("Salt & pepper mill, 2-pack (50 g each); e.g. for BBQ. 🌶"));
    }

    @Test
    void checksProvenance() {
        assertBreaks(Rule.PROVENANCE, new Tagging(SUMMARY, levels(), EDGES, " ", false, null));
        assertBreaks(Rule.PROVENANCE, new Tagging(SUMMARY, levels(), EDGES, "t", false, "why"));
        assertPasses(withLevels(levels(), EDGES).asFallback("llm down"));
    }

    @Test
    void messagesQuoteControlCharactersEscaped() {
        assertThatThrownBy(() -> V.check(withLeaf("a\u0000b")))
                .hasMessageContaining("\"a\\u0000b\"")
                .hasMessageContaining("U+0000");
    }

    @Test
    void checkSummaryNormalisesAndValidatesFreeText() {
        assertThat(V.checkSummary(" Likes  trail\nrunning gear. "))
                .isEqualTo("Likes trail running gear.");
        assertThatThrownBy(() -> V.checkSummary("<b>bold</b>"))
                .isInstanceOf(InvalidTaggingException.class)
                .hasMessageContaining("\"<b>bold</b>\"");
    }

    @Test
    void appliesConfiguredLimits() {
        TaggingValidator oneTagPerLevel = TaggingValidator.builder().maxTagsPerLevel(1).build();
        TaggingValidator shortTags = TaggingValidator.builder().maxTagLength(12).build();
        TaggingValidator shortSummary = TaggingValidator.builder().maxSummaryLength(10).build();

        assertThatThrownBy(() -> oneTagPerLevel.check(withLevels(levels(), EDGES)))
                .hasMessageContaining("level 1 has 2 tags, expected 1 to 1");
        assertThatThrownBy(() -> shortTags.check(withLeaf("thirteen char")))
                .hasMessageContaining("13 characters long, expected 1 to 12");
        assertThatThrownBy(() -> shortSummary.checkSummary("eleven char"))
                .hasMessageContaining("expected at most 10");
        assertThat(shortSummary.checkSummary("ten chars.")).isEqualTo("ten chars.");
    }

    @Test
    void builderRejectsLimitsOutOfRangeNamingTheValue() {
        assertThatThrownBy(() -> TaggingValidator.builder().maxTagsPerLevel(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTagsPerLevel must be in [1, 64], got 0");
        assertThatThrownBy(() -> TaggingValidator.builder().maxTagLength(201))
                .hasMessageContaining("got 201");
        assertThatThrownBy(() -> TaggingValidator.builder().maxSummaryLength(-1))
                .hasMessageContaining("got -1");
    }
}
