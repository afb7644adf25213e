package io.hyperrec.enrichment.offline;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Text clean-up for tags, summaries and encoder inputs. Stateless and thread-safe. */
final class TextCleaner {

    /** The longest tag the tagging schema allows. */
    static final int MAX_TAG_CHARS = 48;

    private static final Pattern MARKUP = Pattern.compile("<[^<>]{0,500}>");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_TAG_CHAR = Pattern.compile("[^A-Za-z0-9 &\\-'/.,+]");
    private static final Pattern NOT_SUMMARY_CHAR =
            Pattern.compile("[^\\p{L}\\p{N} .,;:!?'\"&\\-/+%()]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}<>]");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern OTHER_ENTITY = Pattern.compile("&#?[A-Za-z0-9]{1,10};");

    private TextCleaner() {}

    /**
     * Decodes the common HTML entities ({@code &amp;amp; &amp;quot; &amp;#39; &amp;apos; &amp;nbsp;
     * &amp;lt; &amp;gt;}) and blanks out any other, so that escaped markup is seen, and removed, as
     * markup.
     */
    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        String t =
                s.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&apos;", "'")
                        .replace("&nbsp;", " ");
        t = OTHER_ENTITY.matcher(t.replace("&amp;", "&")).replaceAll(" ");
        return t;
    }

    /**
     * Makes a tag-safe label: entities decoded, markup elements removed, accents removed,
     * typographic apostrophes straightened, every other character outside letters, digits, space
     * and {@code &-'/.,+} replaced by a space, whitespace collapsed and trimmed. May return an
     * empty string.
     */
    static String tagSafe(String s) {
        String t =
                Normalizer.normalize(
                        MARKUP.matcher(decodeEntities(s)).replaceAll(" "), Normalizer.Form.NFKD);
        t = COMBINING_MARKS.matcher(t).replaceAll("");
        t = t.replace('\u2019', '\'').replace('\u2018', '\'');
        t = NOT_TAG_CHAR.matcher(t).replaceAll(" ");
        return SPACES.matcher(t).replaceAll(" ").strip();
    }

    /**
     * Cuts text to at most {@code max} characters, at a space when one falls in the second half,
     * and trims trailing spaces and punctuation.
     */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int space = s.lastIndexOf(' ', max);
        String t = space >= max / 2 ? s.substring(0, space) : s.substring(0, max);
        return trimTrailingPunctuation(t);
    }

    /**
     * Makes summary-safe prose: entities decoded, markup elements removed, control characters,
     * angle brackets and symbols other than {@code .,;:!?'"&-/+%()} replaced by spaces, whitespace
     * collapsed.
     */
    static String summarySafe(String s) {
        String t = MARKUP.matcher(decodeEntities(s)).replaceAll(" ");
        t = Normalizer.normalize(t, Normalizer.Form.NFKC);
        t = NOT_SUMMARY_CHAR.matcher(t).replaceAll(" ");
        return SPACES.matcher(t).replaceAll(" ").strip();
    }

    /**
     * Decodes entities and removes markup elements, control characters and angle brackets; keeps
     * line breaks.
     */
    static String encoderInput(String s) {
        String t = MARKUP.matcher(decodeEntities(s)).replaceAll(" ");
        StringBuilder b = new StringBuilder(t.length());
        for (String line : t.split("\\R", -1)) {
            String clean = SPACES.matcher(CONTROL.matcher(line).replaceAll(" ")).replaceAll(" ");
            if (!clean.isBlank()) {
                if (b.length() > 0) {
                    b.append('\n');
                }
                b.append(clean.strip());
            }
        }
        return b.toString();
    }

    /** Removes trailing spaces and punctuation. */
    static String trimTrailingPunctuation(String t) {
        int end = t.length();
        while (end > 0 && " ,.;:-/&+'".indexOf(t.charAt(end - 1)) >= 0) {
            end--;
        }
        return t.substring(0, end);
    }
}
