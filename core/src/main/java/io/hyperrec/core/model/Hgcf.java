package io.hyperrec.core.model;

import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.SparseMat;
import io.hyperrec.core.kernel.Triples;

/**
 * HGCF (Sun et al., WWW 2021) as the HyperLLM code runs it: a weight-free GCN in the tangent space
 * at the origin. For row-normalised Â = D⁻¹(A + I) and tangent inputs t⁰: t^{l+1} = Â·t^l, z = t¹ +
 * … + t^L (layer 0 excluded), h = expmap0(z); margin loss Σ max(0, d²(a,p) − d²(a,n) + m).
 */
public final class Hgcf implements Backbone {
    private final int layers;

    /** HGCF with the paper's three layers. */
    public Hgcf() {
        this(3);
    }

    /** HGCF with {@code layers} propagation layers. */
    public Hgcf(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be at least 1, got " + layers);
        }
        this.layers = layers;
    }

    @Override
    public String name() {
        return "hgcf";
    }

    /** Number of propagation layers. */
    public int layers() {
        return layers;
    }

    @Override
    public Encoder encoder(Kernels kernels, SparseMat adjacency, int dim) {
        return new HgcfEncoder(kernels, adjacency, dim);
    }

    private final class HgcfEncoder implements Encoder {
        private final Kernels k;
        private final SparseMat adj;
        private final Mat ping;
        private final Mat pong;
        private final Mat z;
        private final Mat h;

        HgcfEncoder(Kernels k, SparseMat adj, int dim) {
            if (adj.rows() != adj.cols()) {
                throw new IllegalArgumentException(
                        "adjacency must be square, got " + adj.rows() + "x" + adj.cols());
            }
            this.k = k;
            this.adj = adj;
            int n = adj.rows();
            this.ping = k.allocate(n, dim);
            this.pong = k.allocate(n, dim);
            this.z = k.allocate(n, dim);
            this.h = k.allocate(n, dim);
        }

        @Override
        public Mat encode(Mat tangent) {
            k.spmm(adj, false, tangent, ping);
            k.copy(ping, z);
            Mat cur = ping;
            Mat next = pong;
            for (int l = 1; l < layers; l++) {
                k.spmm(adj, false, cur, next);
                k.addInPlace(next, z);
                Mat t = cur;
                cur = next;
                next = t;
            }
            k.expmap0(z, h);
            return h;
        }

        @Override
        public double loss(Triples triples, float margin, Mat gradOut) {
            return k.marginLoss(h, triples, margin, gradOut);
        }

        @Override
        public void backward(Mat gradOut, Mat gradTangent) {
            // gz = dL/dz; dL/dt⁰ = Σ_{l=1..L} (Âᵀ)^l gz = Âᵀ(gz + Âᵀ(gz + … Âᵀ gz)).
            Mat gz = ping;
            k.expmap0Backward(z, h, gradOut, gz);
            Mat acc = pong;
            k.spmm(adj, true, gz, acc);
            for (int l = 1; l < layers; l++) {
                k.addInPlace(gz, acc);
                // gradOut is free now: use it as the next buffer.
                k.spmm(adj, true, acc, gradOut);
                k.copy(gradOut, acc);
            }
            k.addInPlace(acc, gradTangent);
        }
    }
}
