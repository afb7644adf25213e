package io.hyperrec.core.eval;

/**
 * Full-ranking accuracy averaged over the evaluated users: Recall@K = hits / |held-out items|,
 * NDCG@K with the ideal DCG over min(|held-out items|, K) hits.
 */
public record Metrics(double recall10, double recall20, double ndcg10, double ndcg20, int users) {

    /** The early-stopping criterion of the reference: R@10 + R@20 + N@10 + N@20. */
    public double sum() {
        return recall10 + recall20 + ndcg10 + ndcg20;
    }

    @Override
    public String toString() {
        return String.format(
                "R@10 %.4f  R@20 %.4f  N@10 %.4f  N@20 %.4f", recall10, recall20, ndcg10, ndcg20);
    }
}
