package io.hyperrec.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrequentialTest {
    @Test
    void hitsAtTheTopCountFullyAndLowerHitsAreDiscounted() {
        Prequential p = new Prequential(3);
        int[] top = {7, 8, 9, 10};
        p.record(top, 4, 7); // rank 0: dcg 1
        p.record(top, 4, 9); // rank 2: dcg 1/log2(4) = 0.5
        p.record(top, 4, 10); // rank 3: beyond k
        p.recordMiss();
        assertThat(p.events()).isEqualTo(4);
        assertThat(p.recall()).isEqualTo(0.5);
        assertThat(p.ndcg()).isCloseTo(1.5 / 4, within(1e-12));
        p.record(top, 1, 8); // only the first entry is valid
        assertThat(p.recall()).isEqualTo(2.0 / 5);
        assertThat(new Prequential(20).recall()).isZero();
        assertThatThrownBy(() -> new Prequential(0)).hasMessageContaining("got 0");
        Prequential byRank = new Prequential(3);
        byRank.recordRank(0);
        byRank.recordRank(2);
        byRank.recordRank(3);
        byRank.recordRank(-1);
        assertThat(byRank.recall()).isEqualTo(0.5);
        assertThat(byRank.ndcg()).isCloseTo(1.5 / 4, within(1e-12));
    }
}
