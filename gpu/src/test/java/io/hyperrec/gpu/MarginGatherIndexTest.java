package io.hyperrec.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyperrec.core.kernel.Triples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarginGatherIndexTest {

    @Test
    void listsEachTouchedRowsEntriesInTheReferencesOrder() {
        // Triples (a, p, n): (1, 2, 1) and (2, 1, 4) over 5 rows; entries q = 3e + role.
        Triples t = new Triples(new int[] {1, 2}, new int[] {2, 1}, new int[] {1, 4}, 2);
        MarginGatherIndex index = new MarginGatherIndex();
        int n = index.build(t, 5);
        assertThat(index.touched()).isEqualTo(3);
        assertThat(Arrays.copyOf(index.data(), n))
                .containsExactly(
                        1, 2, 4, // the touched rows, in order of first touch
                        0, 3, 5, 6, // where each row's entries start and end
                        0, 2, 4, // row 1: anchor of 0, negative of 0, positive of 1
                        1, 3, // row 2: positive of 0, anchor of 1
                        5); // row 4: negative of 1
    }

    @Test
    void aReusedIndexGivesWhatAFreshOneGives() {
        SplittableRandom rnd = new SplittableRandom(5);
        MarginGatherIndex reused = new MarginGatherIndex();
        for (int round = 0; round < 20; round++) {
            int rows = 1 + rnd.nextInt(60);
            int count = rnd.nextInt(100);
            Triples t = Triples.allocate(count).withCount(count);
            for (int e = 0; e < count; e++) {
                t.anchors()[e] = rnd.nextInt(rows);
                t.positives()[e] = rnd.nextInt(rows);
                t.negatives()[e] = rnd.nextInt(rows);
            }
            int n = reused.build(t, rows);
            int[] got = Arrays.copyOf(reused.data(), n);
            MarginGatherIndex fresh = new MarginGatherIndex();
            int freshLength = fresh.build(t, rows);
            assertThat(got).containsExactly(Arrays.copyOf(fresh.data(), freshLength));
            // Every entry once, under the row it adds to, ascending within the row.
            int touched = reused.touched();
            List<Integer> all = new ArrayList<>();
            for (int s = 0; s < touched; s++) {
                int row = got[s];
                int from = got[reused.ptrAt() + s];
                int to = got[reused.ptrAt() + s + 1];
                for (int q = from; q < to; q++) {
                    int entry = got[reused.entriesAt() + q];
                    int[] byRole =
                            entry % 3 == 0
                                    ? t.anchors()
                                    : entry % 3 == 1 ? t.positives() : t.negatives();
                    assertThat(byRole[entry / 3]).isEqualTo(row);
                    if (q > from) {
                        assertThat(entry).isGreaterThan(got[reused.entriesAt() + q - 1]);
                    }
                    all.add(entry);
                }
            }
            assertThat(all).hasSize(3 * count).doesNotHaveDuplicates();
        }
    }
}
