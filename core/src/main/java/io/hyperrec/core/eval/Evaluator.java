package io.hyperrec.core.eval;

import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;

/**
 * Full-ranking evaluation: every user with held-out items is ranked against all items, the items of
 * {@code mask} (the training interactions) removed, and Recall/NDCG at 10 and 20 averaged over
 * those users. Top-K selection runs on the kernels in blocks of users.
 */
public final class Evaluator {
    private static final int K = 20;
    private static final int USER_BLOCK = 2048;
    private static final double[] DISCOUNT = new double[K + 1];

    static {
        for (int i = 0; i < K; i++) {
            DISCOUNT[i] = 1.0 / (Math.log(i + 2) / Math.log(2));
        }
    }

    private final Kernels kernels;
    private int[] topItems = new int[0];
    private float[] topScores = new float[0];

    /** An evaluator running its top-K selection on {@code kernels}. */
    public Evaluator(Kernels kernels) {
        this.kernels = kernels;
    }

    /**
     * Evaluates user and item embeddings against held-out interactions.
     *
     * @param users user points (numUsers×d) on the kernels
     * @param items item points (numItems×d) on the kernels
     * @param mask items never recommended to a user (training interactions), or null
     * @param heldOut the ground truth per user; users without held-out items are skipped
     */
    public Metrics evaluate(Mat users, Mat items, Interactions mask, Interactions heldOut) {
        int nu = users.rows();
        if (heldOut.numUsers() != nu) {
            throw new IllegalArgumentException(
                    "held-out interactions have "
                            + heldOut.numUsers()
                            + " users, embeddings "
                            + nu);
        }
        double r10 = 0;
        double r20 = 0;
        double n10 = 0;
        double n20 = 0;
        int evaluated = 0;
        for (int u0 = 0; u0 < nu; u0 += USER_BLOCK) {
            int rows = Math.min(USER_BLOCK, nu - u0);
            if (topItems.length < rows * K) {
                topItems = new int[rows * K];
                topScores = new float[rows * K];
            }
            kernels.topK(users.slice(u0, u0 + rows), items, mask, u0, K, topItems, topScores);
            for (int r = 0; r < rows; r++) {
                int u = u0 + r;
                int truth = heldOut.degree(u);
                if (truth == 0) {
                    continue;
                }
                evaluated++;
                int hits10 = 0;
                int hits20 = 0;
                double dcg10 = 0;
                double dcg20 = 0;
                for (int q = 0; q < K; q++) {
                    int item = topItems[r * K + q];
                    if (item >= 0 && heldOut.contains(u, item)) {
                        if (q < 10) {
                            hits10++;
                            dcg10 += DISCOUNT[q];
                        }
                        hits20++;
                        dcg20 += DISCOUNT[q];
                    }
                }
                r10 += hits10 / (double) truth;
                r20 += hits20 / (double) truth;
                n10 += dcg10 / idcg(Math.min(truth, 10));
                n20 += dcg20 / idcg(Math.min(truth, 20));
            }
        }
        if (evaluated == 0) {
            return new Metrics(0, 0, 0, 0, 0);
        }
        return new Metrics(
                r10 / evaluated, r20 / evaluated, n10 / evaluated, n20 / evaluated, evaluated);
    }

    private static double idcg(int hits) {
        double s = 0;
        for (int i = 0; i < hits; i++) {
            s += DISCOUNT[i];
        }
        return s;
    }
}
