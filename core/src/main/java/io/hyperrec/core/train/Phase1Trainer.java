package io.hyperrec.core.train;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.eval.Evaluator;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.model.Backbone;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 1 of HyperLLM (HYPERLLM.md, "Phase 1"): a mixture of experts maps each frozen semantic
 * vector z (users and items share it) to the tangent space at the origin, gate g(z) = softmax(W_g z
 * + b_g) over K dense experts, expert_k(z) = W_k z + b_k, MoE(z) = Σ_k g_k(z) expert_k(z); the
 * outputs replace the ID embeddings inside the backbone, and only the MoE is trained, with the
 * margin loss at a small margin (m1). The outputs of the best validation epoch are the phase-1
 * vectors that phase 2 starts from.
 *
 * <p>As in the reference code, the frozen input is logmap0(expmap0(z)) (so z's first coordinate
 * acts as a time coordinate and the 1.5 norm clamp applies), the MoE's layers start as PyTorch's
 * {@code nn.Linear} does (uniform in ±1/√S), and the optimiser is SGD with momentum 0.95 and weight
 * decay 5e-4 whose momentum buffer starts at the first raw gradient. Dense products run on the
 * kernels' {@code gemm}; the gate and mixing arithmetic (N×K×dim) on the host.
 */
public final class Phase1Trainer {
    private final Dataset data;
    private final TrainConfig cfg;
    private final int experts;
    private final Kernels k;
    private final int nu;
    private final int ni;
    private final int n;
    private final int s;
    private final int d;
    private final int steps;
    private final Mat x;
    private final Mat expertOut;
    private final Mat gateOut;
    private final Mat tangent;
    private final Mat gradTangent;
    private final Mat gradH;
    private final Mat gradExperts;
    private final Mat gradGates;
    private final Mat gradWe;
    private final Mat gradWg;
    private final Mat we;
    private final Mat wg;
    private final float[] be;
    private final float[] bg;
    private final float[][] momentum = new float[4][];
    private final Backbone.Encoder encoder;
    private final TripleSampler sampler;
    private final Evaluator evaluator;
    private final float[] hostExperts;
    private final float[] hostGates;
    private final float[] hostTangent;
    private boolean first = true;

    /** The result: best-epoch MoE outputs (tangent vectors) for users and items. */
    public record Result(
            float[] userVectors,
            float[] itemVectors,
            int dim,
            int bestEpoch,
            Metrics validation,
            List<EpochResult> epochs) {}

    /**
     * @param semanticUsers numUsers×semDim semantic vectors, row-major
     * @param semanticItems numItems×semDim semantic vectors, row-major
     * @param experts number of experts K (the paper uses 16 for Beauty)
     * @param cfg margin (m1), optimiser, sampler, epochs, patience, seed and output dim
     */
    public Phase1Trainer(
            Dataset data,
            float[] semanticUsers,
            float[] semanticItems,
            int semDim,
            int experts,
            TrainConfig cfg,
            Kernels kernels) {
        if (experts < 1) {
            throw new IllegalArgumentException("experts must be at least 1, got " + experts);
        }
        this.data = data;
        this.cfg = cfg;
        this.experts = experts;
        this.k = kernels;
        this.nu = data.users().size();
        this.ni = data.items().size();
        this.n = nu + ni;
        this.s = semDim;
        this.d = cfg.dim();
        if (semanticUsers.length != nu * semDim || semanticItems.length != ni * semDim) {
            throw new IllegalArgumentException(
                    "semantic vectors must be "
                            + nu
                            + "x"
                            + semDim
                            + " (users) and "
                            + ni
                            + "x"
                            + semDim
                            + " (items), got "
                            + semanticUsers.length
                            + " and "
                            + semanticItems.length
                            + " floats");
        }
        Interactions train = data.train();
        this.steps = train.nnz() / cfg.batchSize() + 1;
        Rng rng = new Rng(cfg.seed());

        float[] in = new float[n * s];
        System.arraycopy(semanticUsers, 0, in, 0, nu * s);
        System.arraycopy(semanticItems, 0, in, nu * s, ni * s);
        for (int i = 0; i < n; i++) {
            Lorentz.expmap0(in, i * s, in, i * s, s);
            Lorentz.logmap0(in, i * s, in, i * s, s);
        }
        x = k.allocate(n, s);
        k.upload(in, x);

        float bound = (float) (1 / Math.sqrt(s));
        we = k.allocate(experts * d, s);
        wg = k.allocate(experts, s);
        k.upload(uniform(rng, experts * d * s, bound), we);
        k.upload(uniform(rng, experts * s, bound), wg);
        be = uniform(rng, experts * d, bound);
        bg = uniform(rng, experts, bound);

        expertOut = k.allocate(n, experts * d);
        gateOut = k.allocate(n, experts);
        tangent = k.allocate(n, d);
        gradTangent = k.allocate(n, d);
        gradH = k.allocate(n, d);
        gradExperts = k.allocate(n, experts * d);
        gradGates = k.allocate(n, experts);
        gradWe = k.allocate(experts * d, s);
        gradWg = k.allocate(experts, s);
        hostExperts = new float[n * experts * d];
        hostGates = new float[n * experts];
        hostTangent = new float[n * d];

        encoder = cfg.backbone().encoder(k, k.sparse(HyperLlmTrainer.userItemGraph(train)), d);
        sampler = HyperLlmTrainer.userItemSampler(train, cfg, steps, rng);
        evaluator = new Evaluator(k);
    }

    private static float[] uniform(Rng rng, int size, float bound) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return v;
    }

    /** Computes MoE(x) for every node into {@code tangent} (and keeps gates and experts). */
    private void forward() {
        k.gemm(x, false, we, true, expertOut, 1f, 0f);
        k.gemm(x, false, wg, true, gateOut, 1f, 0f);
        k.download(expertOut, hostExperts);
        k.download(gateOut, hostGates);
        int kd = experts * d;
        for (int i = 0; i < n; i++) {
            int go = i * experts;
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < experts; e++) {
                hostGates[go + e] += bg[e];
                max = Math.max(max, hostGates[go + e]);
            }
            double sum = 0;
            for (int e = 0; e < experts; e++) {
                double v = Math.exp(hostGates[go + e] - max);
                hostGates[go + e] = (float) v;
                sum += v;
            }
            for (int e = 0; e < experts; e++) {
                hostGates[go + e] = (float) (hostGates[go + e] / sum);
            }
            for (int j = 0; j < d; j++) {
                double acc = 0;
                for (int e = 0; e < experts; e++) {
                    int idx = i * kd + e * d + j;
                    hostExperts[idx] += be[e * d + j];
                    acc += hostGates[go + e] * hostExperts[idx];
                }
                hostTangent[i * d + j] = (float) acc;
            }
        }
        k.upload(hostTangent, tangent);
    }

    private double step(int st) {
        double loss = lossAndGradients(sampler.next(st));
        sgd(0, we, gradWe);
        sgd(1, wg, gradWg);
        sgdHost(2, be, lastGradBe);
        sgdHost(3, bg, lastGradBg);
        first = false;
        return loss;
    }

    private float[] lastGradBe;
    private float[] lastGradBg;

    /** Gradients of the expert weights from the last {@link #lossAndGradients} (for tests). */
    float[] expertWeightGradient() {
        float[] v = new float[gradWe.rows() * gradWe.cols()];
        k.download(gradWe, v);
        return v;
    }

    /** Gradients of the gate weights from the last {@link #lossAndGradients} (for tests). */
    float[] gateWeightGradient() {
        float[] v = new float[gradWg.rows() * gradWg.cols()];
        k.download(gradWg, v);
        return v;
    }

    /** Gradients of the expert and gate biases from the last call (for tests). */
    float[][] biasGradients() {
        return new float[][] {lastGradBe.clone(), lastGradBg.clone()};
    }

    /** Adds {@code delta} to one parameter: 0 = expert weights, 1 = gate weights, 2/3 = biases. */
    void perturb(int which, int index, float delta) {
        switch (which) {
            case 0, 1 -> {
                Mat w = which == 0 ? we : wg;
                float[] v = new float[w.rows() * w.cols()];
                k.download(w, v);
                v[index] += delta;
                k.upload(v, w);
            }
            case 2 -> be[index] += delta;
            case 3 -> bg[index] += delta;
            default -> throw new IllegalArgumentException("no parameter group " + which);
        }
    }

    /** The margin loss of the triples and its gradients with respect to every MoE parameter. */
    double lossAndGradients(io.hyperrec.core.kernel.Triples triples) {
        forward();
        encoder.encode(tangent);
        k.fill(gradH, 0f);
        double loss = encoder.loss(triples, cfg.margin(), gradH);
        k.fill(gradTangent, 0f);
        encoder.backward(gradH, gradTangent);
        float[] gt = new float[n * d];
        k.download(gradTangent, gt);
        int kd = experts * d;
        float[] gE = new float[n * kd];
        float[] gG = new float[n * experts];
        float[] gbe = new float[kd];
        float[] gbg = new float[experts];
        for (int i = 0; i < n; i++) {
            int go = i * experts;
            double dot = 0;
            double[] dg = new double[experts];
            for (int e = 0; e < experts; e++) {
                double g = hostGates[go + e];
                double acc = 0;
                for (int j = 0; j < d; j++) {
                    int idx = i * kd + e * d + j;
                    float gj = gt[i * d + j];
                    gE[idx] = (float) (g * gj);
                    gbe[e * d + j] += gE[idx];
                    acc += gj * hostExperts[idx];
                }
                dg[e] = acc;
                dot += g * acc;
            }
            for (int e = 0; e < experts; e++) {
                float v = (float) (hostGates[go + e] * (dg[e] - dot));
                gG[go + e] = v;
                gbg[e] += v;
            }
        }
        k.upload(gE, gradExperts);
        k.upload(gG, gradGates);
        k.gemm(gradExperts, true, x, false, gradWe, 1f, 0f);
        k.gemm(gradGates, true, x, false, gradWg, 1f, 0f);
        lastGradBe = gbe;
        lastGradBg = gbg;
        return loss;
    }

    private void sgd(int slot, Mat w, Mat grad) {
        float[] wv = new float[w.rows() * w.cols()];
        float[] gv = new float[wv.length];
        k.download(w, wv);
        k.download(grad, gv);
        sgdHost(slot, wv, gv);
        k.upload(wv, w);
    }

    /** SGD with momentum and weight decay, the reference optimiser on Euclidean parameters. */
    private void sgdHost(int slot, float[] w, float[] g) {
        if (first) {
            momentum[slot] = g.clone();
        }
        float[] b = momentum[slot];
        float wd = cfg.weightDecay();
        float mu = cfg.momentum();
        float lr = cfg.lr();
        for (int i = 0; i < w.length; i++) {
            float gi = g[i] + wd * w[i];
            b[i] = mu * b[i] + gi;
            w[i] -= lr * b[i];
        }
    }

    /** Trains to early stop; returns the best validation epoch's MoE outputs. */
    public Result train(TrainListener listener) {
        listener.started(1, cfg.epochs(), steps);
        List<EpochResult> history = new ArrayList<>();
        double best = 0;
        int bestEpoch = 0;
        int stop = 0;
        Metrics bestVal = null;
        float[] bestOut = null;
        for (int epoch = 1; epoch <= cfg.epochs() && stop < cfg.patience(); epoch++) {
            long t0 = System.nanoTime();
            double sum = 0;
            for (int st = 0; st < steps; st++) {
                sum += step(st);
            }
            long t1 = System.nanoTime();
            forward();
            Mat h = encoder.encode(tangent);
            Metrics val =
                    evaluator.evaluate(h.slice(0, nu), h.slice(nu, n), data.train(), data.valid());
            Metrics test = null;
            if (val.sum() >= best) {
                best = val.sum();
                bestEpoch = epoch;
                bestVal = val;
                stop = 0;
                bestOut = hostTangent.clone();
                test =
                        evaluator.evaluate(
                                h.slice(0, nu), h.slice(nu, n), data.train(), data.test());
            } else {
                stop++;
            }
            EpochResult r =
                    new EpochResult(
                            epoch,
                            sum / steps,
                            (t1 - t0) / 1e9,
                            (System.nanoTime() - t1) / 1e9,
                            val,
                            test);
            history.add(r);
            listener.epochDone(r, bestEpoch, stop);
        }
        if (bestOut == null) {
            throw new IllegalStateException("phase 1 trained no epoch");
        }
        float[] users = java.util.Arrays.copyOf(bestOut, nu * d);
        float[] items = java.util.Arrays.copyOfRange(bestOut, nu * d, n * d);
        return new Result(users, items, d, bestEpoch, bestVal, List.copyOf(history));
    }
}
