package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanerTest {

    @Test
    void makesTagSafeLabelsFromAccentedAndMarkedUpNames() {
        assertThat(TextCleaner.tagSafe("Crème <b>Brûlée</b>: l’été!"))
                .isEqualTo("Creme Brulee l'ete");
        assertThat(TextCleaner.tagSafe("Creams, Gels &amp; Lotions"))
                .isEqualTo("Creams, Gels & Lotions");
        assertThat(TextCleaner.tagSafe("<<>>")).isEmpty();
    }

    @Test
    void removesMarkupEscapedMarkupAndControlCharactersFromSummaries() {
        assertThat(
                        TextCleaner.summarySafe(
                                "Tom &amp; Jerry &lt;b&gt;Soap&lt;/b&gt; **bold** `code` \u0007 #1 [x](y)"))
                .isEqualTo("Tom & Jerry Soap bold code 1 x (y)");
        // anything tag-shaped goes, stray brackets too
        assertThat(TextCleaner.summarySafe("a < b > c")).isEqualTo("a c");
        assertThat(TextCleaner.summarySafe("size > 5 < 9")).isEqualTo("size 5 9");
    }

    @Test
    void keepsLinesButNotMarkupInEncoderInput() {
        assertThat(TextCleaner.encoderInput("Title <i>x</i>\n\u0000\nbrand: B &nbsp;&copy;"))
                .isEqualTo("Title x\nbrand: B");
    }

    @Test
    void cutsAtAWordBoundaryAndTrimsTrailingPunctuation() {
        assertThat(TextCleaner.cut("alpha beta, gamma", 12)).isEqualTo("alpha beta");
        assertThat(TextCleaner.cut("abcdefghijkl", 5)).isEqualTo("abcde");
        assertThat(TextCleaner.cut("short", 48)).isEqualTo("short");
    }
}
