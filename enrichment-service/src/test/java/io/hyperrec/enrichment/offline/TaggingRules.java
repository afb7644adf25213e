package io.hyperrec.enrichment.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.enrichment.TagEdge;
import io.hyperrec.enrichment.Tagging;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * This module's own assertions of the tagging schema (the rules {@code TaggingValidator} enforces):
 * exactly three non-empty levels, no tag on two levels, edges only between adjacent levels among
 * the generated tags, a parent for every level-1 and level-2 tag, tags of at most 48 characters
 * from letters, digits, space and {@code &-'/.,+}, a non-empty summary of at most 400 characters
 * without markup.
 */
final class TaggingRules {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9 &\\-'/.,+]{1,48}");
    private static final Pattern MARKUP = Pattern.compile("[<>]|\\p{Cntrl}|\\*\\*|`|\\]\\(");

    private TaggingRules() {}

    static void assertValid(Tagging t) {
        assertThat(t.levels()).as("levels").hasSize(Tagging.LEVELS);
        Map<String, Integer> levelOf = new HashMap<>();
        for (int l = 0; l < Tagging.LEVELS; l++) {
            List<String> level = t.levels().get(l);
            assertThat(level).as("level %d", l).isNotEmpty().doesNotHaveDuplicates();
            for (String tag : level) {
                assertThat(tag).as("tag on level %d", l).matches(TAG).isEqualTo(tag.strip());
                assertThat(levelOf.put(tag, l)).as("tag '%s' on two levels", tag).isNull();
            }
        }
        Set<String> hasParent = new HashSet<>();
        for (TagEdge e : t.edges()) {
            assertThat(levelOf).as("edge %s", e).containsKey(e.parent()).containsKey(e.child());
            assertThat(levelOf.get(e.child()))
                    .as("edge %s joins adjacent levels", e)
                    .isEqualTo(levelOf.get(e.parent()) + 1);
            hasParent.add(e.child());
        }
        assertThat(t.edges()).as("edges").doesNotHaveDuplicates();
        for (int l = 1; l < Tagging.LEVELS; l++) {
            assertThat(hasParent)
                    .as("level-%d tags with a parent", l)
                    .containsAll(t.levels().get(l));
        }
        assertThat(t.summary()).isNotBlank().hasSizeLessThanOrEqualTo(400);
        assertThat(MARKUP.matcher(t.summary()).find()).as("markup in '%s'", t.summary()).isFalse();
        assertThat(t.tagger()).isNotBlank();
    }
}
