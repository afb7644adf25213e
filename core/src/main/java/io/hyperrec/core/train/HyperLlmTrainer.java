package io.hyperrec.core.train;

import io.hyperrec.core.data.Dataset;
import io.hyperrec.core.data.Interactions;
import io.hyperrec.core.data.TagGraph;
import io.hyperrec.core.eval.Evaluator;
import io.hyperrec.core.eval.Metrics;
import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.CsrMatrix;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.model.Backbone;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 2 of HyperLLM (Cheng et al., SIGIR 2025; HYPERLLM.md), and its ablations: the user–item
 * view with a margin loss, and (variants with tags) the tag view over tags and items sharing the
 * item embeddings, its own margin loss over (tag, tag⁺, tag⁻) and (tag, item⁺, item⁻) triples, and
 * a contrastive alignment of the two item views. Riemannian SGD with momentum on every embedding
 * table; full-ranking validation after each epoch; early stopping; test metrics at the best
 * validation epoch.
 *
 * <p>Deviations from the reference code, each deliberate: the random generator is SplitMix64
 * (numbers cannot match PyTorch's bit for bit anyway); the contrastive row sums are accumulated in
 * float over blocks rather than in one PyTorch reduction; a node exactly at the origin maps to 0
 * under logmap0 instead of NaN.
 *
 * <p>Training state is checkpointed every {@link TrainConfig#checkpointEvery()} epochs into a
 * {@link CheckpointStore}; {@link #train} continues from a stored checkpoint when there is one.
 * Given the same configuration, a resumed run produces the same numbers as an uninterrupted one.
 */
public final class HyperLlmTrainer {
    private static final int STATE_VERSION = 2;

    private final Dataset data;
    private final TrainConfig cfg;
    private final Kernels k;
    private final float[] phase1Users;
    private final float[] phase1Items;
    private final int nu;
    private final int ni;
    private final int nt;
    private final int d;
    private final boolean tags;
    private final int steps;

    private final Mat xu;
    private final Mat xi;
    private final Mat xt;
    private final Mat bu;
    private final Mat bi;
    private final Mat bt;
    private final Mat tUi;
    private final Mat tTag;
    private final Mat gtUi;
    private final Mat gtTag;
    private final Mat ghUi;
    private final Mat ghTag;
    private final Mat gxu;
    private final Mat gxi;
    private final Mat gxt;
    private final Backbone.Encoder ui;
    private final Backbone.Encoder tagView;
    private final TripleSampler uiSampler;
    private final TripleSampler tagTagSampler;
    private final TripleSampler tagItemSampler;
    private final Evaluator evaluator;
    private boolean firstStep = true;

    /**
     * Prepares a run: builds both graph views, the samplers and the initial embeddings.
     *
     * @param phase1Users phase-1 tangent outputs for users (numUsers×dim), required by variants
     *     that use phase 1, ignored otherwise
     * @param phase1Items phase-1 tangent outputs for items (numItems×dim), likewise
     */
    public HyperLlmTrainer(
            Dataset data,
            TrainConfig cfg,
            Kernels kernels,
            float[] phase1Users,
            float[] phase1Items) {
        this.data = data;
        this.cfg = cfg;
        this.k = kernels;
        this.nu = data.users().size();
        this.ni = data.items().size();
        this.d = cfg.dim();
        this.tags = cfg.variant().usesTags();
        TagGraph tg = null;
        if (tags) {
            tg =
                    data.tags()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "variant "
                                                            + cfg.variant().name().toLowerCase()
                                                            + " needs tags, but dataset "
                                                            + data.name()
                                                            + " has no .tag/.kg files"));
        }
        this.nt = tags ? tg.numTags() : 0;
        if (cfg.variant().usesPhase1()) {
            checkPhase1("users", phase1Users, nu);
            checkPhase1("items", phase1Items, ni);
        }
        this.phase1Users = phase1Users;
        this.phase1Items = phase1Items;
        Interactions train = data.train();
        if (train.nnz() == 0) {
            throw new IllegalArgumentException(
                    "dataset " + data.name() + " has no training interactions");
        }
        this.steps = train.nnz() / cfg.batchSize() + 1;
        Rng rng = new Rng(cfg.seed());

        xu = k.allocate(nu, d);
        xi = k.allocate(ni, d);
        bu = k.allocate(nu, d);
        bi = k.allocate(ni, d);
        gxu = k.allocate(nu, d);
        gxi = k.allocate(ni, d);
        tUi = k.allocate(nu + ni, d);
        gtUi = k.allocate(nu + ni, d);
        ghUi = k.allocate(nu + ni, d);
        ui = cfg.backbone().encoder(k, k.sparse(userItemGraph(train)), d);
        evaluator = new Evaluator(k);

        uiSampler = userItemSampler(train, cfg, steps, rng);

        if (tags) {
            xt = k.allocate(nt, d);
            bt = k.allocate(nt, d);
            gxt = k.allocate(nt, d);
            tTag = k.allocate(nt + ni, d);
            gtTag = k.allocate(nt + ni, d);
            ghTag = k.allocate(nt + ni, d);
            tagView = cfg.backbone().encoder(k, k.sparse(tagGraph(tg, ni)), d);
            Interactions tagTag = symmetricTagTag(tg);
            int[][] ttPairs = tagTagPairs(tagTag, cfg.sampler());
            int ttBatch = ceilDiv(2 * tg.tagTagA().length, steps);
            tagTagSampler =
                    ttPairs[0].length == 0
                            ? null
                            : new TripleSampler(
                                    ttPairs[0],
                                    ttPairs[1],
                                    tagTag,
                                    0,
                                    nt,
                                    cfg.sampler(),
                                    ttBatch,
                                    steps,
                                    cfg.faithfulRepeat(),
                                    new Rng(rng.nextLong()));
            Interactions tagItem =
                    Interactions.fromPairs(nt, ni, tg.itemTagTags(), tg.itemTagItems());
            int[] tiA = tagItem.pairUsers();
            int[] tiP = tagItem.pairItems().clone();
            for (int e = 0; e < tiP.length; e++) {
                tiP[e] += nt;
            }
            int tiBatch = ceilDiv(2 * tiA.length, steps);
            tagItemSampler =
                    tiA.length == 0
                            ? null
                            : new TripleSampler(
                                    tiA,
                                    tiP,
                                    tagItem,
                                    nt,
                                    ni,
                                    cfg.sampler(),
                                    tiBatch,
                                    steps,
                                    cfg.faithfulRepeat(),
                                    new Rng(rng.nextLong()));
        } else {
            xt = bt = gxt = tTag = gtTag = ghTag = null;
            tagView = null;
            tagTagSampler = tagItemSampler = null;
        }
        initEmbeddings(new Rng(rng.nextLong()));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void checkPhase1(String what, float[] v, int rows) {
        if (v == null) {
            throw new IllegalArgumentException(
                    "variant "
                            + cfg.variant().name().toLowerCase()
                            + " needs phase-1 vectors for "
                            + what
                            + " (--phase1 PREFIX)");
        }
        if (v.length != rows * d) {
            throw new IllegalArgumentException(
                    "phase-1 "
                            + what
                            + " hold "
                            + v.length
                            + " floats, expected "
                            + rows
                            + "x"
                            + d
                            + " = "
                            + rows * d);
        }
    }

    /**
     * The sampler of (user, item⁺, item⁻) triples over the user–item view's node indices (items
     * offset by the number of users); draws its seed from {@code rng}.
     */
    static TripleSampler userItemSampler(Interactions train, TrainConfig cfg, int steps, Rng rng) {
        int nu = train.numUsers();
        int[] items = train.pairItems().clone();
        for (int e = 0; e < items.length; e++) {
            items[e] += nu;
        }
        return new TripleSampler(
                train.pairUsers(),
                items,
                train,
                nu,
                train.numItems(),
                cfg.sampler(),
                cfg.batchSize(),
                steps,
                cfg.faithfulRepeat(),
                new Rng(rng.nextLong()));
    }

    /** Â_ui = D⁻¹(A + I) over users then items, one edge per training interaction. */
    static CsrMatrix userItemGraph(Interactions train) {
        int nu = train.numUsers();
        int n = nu + train.numItems();
        int[] us = train.pairUsers();
        int[] is = train.pairItems();
        int m = us.length;
        int[] r = new int[2 * m];
        int[] c = new int[2 * m];
        for (int e = 0; e < m; e++) {
            r[2 * e] = us[e];
            c[2 * e] = nu + is[e];
            r[2 * e + 1] = nu + is[e];
            c[2 * e + 1] = us[e];
        }
        return CsrMatrix.fromCoo(n, n, r, c, null, 2 * m).plusIdentityRowNormalized();
    }

    /**
     * Â_tag over tags then items: tag–tag edges weigh 2 and tag–item edges 1 before adding the
     * identity and normalising rows, as the reference's adjacency ends up (HYPERLLM.md).
     */
    static CsrMatrix tagGraph(TagGraph tg, int numItems) {
        int nt = tg.numTags();
        int n = nt + numItems;
        int[] ta = tg.tagTagA();
        int[] tb = tg.tagTagB();
        int[] it = tg.itemTagTags();
        int[] ii = tg.itemTagItems();
        int m = 2 * ta.length + 2 * it.length;
        int[] r = new int[m];
        int[] c = new int[m];
        float[] v = new float[m];
        int e = 0;
        for (int q = 0; q < ta.length; q++) {
            r[e] = ta[q];
            c[e] = tb[q];
            v[e++] = 2f;
            r[e] = tb[q];
            c[e] = ta[q];
            v[e++] = 2f;
        }
        for (int q = 0; q < it.length; q++) {
            r[e] = it[q];
            c[e] = nt + ii[q];
            v[e++] = 1f;
            r[e] = nt + ii[q];
            c[e] = it[q];
            v[e++] = 1f;
        }
        return CsrMatrix.fromCoo(n, n, r, c, v, m).plusIdentityRowNormalized();
    }

    private static Interactions symmetricTagTag(TagGraph tg) {
        int[] a = tg.tagTagA();
        int[] b = tg.tagTagB();
        int[] r = new int[2 * a.length];
        int[] c = new int[2 * a.length];
        for (int q = 0; q < a.length; q++) {
            r[2 * q] = a[q];
            c[2 * q] = b[q];
            r[2 * q + 1] = b[q];
            c[2 * q + 1] = a[q];
        }
        return Interactions.fromPairs(tg.numTags(), tg.numTags(), r, c);
    }

    /**
     * Anchor/positive pairs of the tag–tag loss. Faithful: the first half of the symmetric
     * adjacency's non-zeros in row-major order, as the reference takes them (so anchors are low tag
     * ids). Clean: every directed pair.
     */
    static int[][] tagTagPairs(Interactions symmetric, SamplerMode mode) {
        int[] a = symmetric.pairUsers();
        int[] b = symmetric.pairItems();
        int n = mode == SamplerMode.FAITHFUL ? a.length / 2 : a.length;
        return new int[][] {java.util.Arrays.copyOf(a, n), java.util.Arrays.copyOf(b, n)};
    }

    private void initEmbeddings(Rng rng) {
        if (cfg.variant().usesPhase1()) {
            k.upload(expmap0Rows(phase1Users.clone(), nu), xu);
            k.upload(expmap0Rows(phase1Items.clone(), ni), xi);
        } else {
            k.upload(randomPoints(rng, nu), xu);
            k.upload(randomPoints(rng, ni), xi);
        }
        if (tags) {
            k.upload(randomPoints(rng, nt), xt);
        }
    }

    /** expmap0(U(−s, s)) on every coordinate, time included, as the reference initialises. */
    private float[] randomPoints(Rng rng, int rows) {
        float[] u = new float[rows * d];
        float s = cfg.initScale();
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) ((rng.nextDouble() * 2 - 1) * s);
        }
        return expmap0Rows(u, rows);
    }

    private float[] expmap0Rows(float[] u, int rows) {
        for (int i = 0; i < rows; i++) {
            Lorentz.expmap0(u, i * d, u, i * d, d);
        }
        return u;
    }

    /** Steps per epoch: ⌊#train / batch⌋ + 1. */
    public int stepsPerEpoch() {
        return steps;
    }

    /** One training step; returns its total loss. */
    double step(int s) {
        k.logmap0(xu, tUi.slice(0, nu));
        k.logmap0(xi, tUi.slice(nu, nu + ni));
        Mat hUi = ui.encode(tUi);
        k.fill(ghUi, 0f);
        double loss = ui.loss(uiSampler.next(s), cfg.margin(), ghUi);
        if (tags) {
            k.logmap0(xt, tTag.slice(0, nt));
            k.copy(tUi.slice(nu, nu + ni), tTag.slice(nt, nt + ni));
            Mat hTag = tagView.encode(tTag);
            k.fill(ghTag, 0f);
            if (tagTagSampler != null) {
                loss += tagView.loss(tagTagSampler.next(s), cfg.tagMargin(), ghTag);
            }
            if (tagItemSampler != null) {
                loss += tagView.loss(tagItemSampler.next(s), cfg.tagMargin(), ghTag);
            }
            Mat hUiItems = hUi.slice(nu, nu + ni);
            double cl =
                    k.contrastiveLoss(
                            hUiItems,
                            hTag.slice(nt, nt + ni),
                            cfg.tau(),
                            cfg.contrastiveWeight(),
                            ghUi.slice(nu, nu + ni),
                            ghTag.slice(nt, nt + ni));
            loss += cfg.contrastiveWeight() * cl;
            k.fill(gtTag, 0f);
            tagView.backward(ghTag, gtTag);
        }
        k.fill(gtUi, 0f);
        ui.backward(ghUi, gtUi);

        k.fill(gxu, 0f);
        k.logmap0Backward(xu, gtUi.slice(0, nu), gxu);
        k.fill(gxi, 0f);
        k.logmap0Backward(xi, gtUi.slice(nu, nu + ni), gxi);
        if (tags) {
            k.logmap0Backward(xi, gtTag.slice(nt, nt + ni), gxi);
            k.fill(gxt, 0f);
            k.logmap0Backward(xt, gtTag.slice(0, nt), gxt);
        }
        float lr = cfg.lr();
        float mu = cfg.momentum();
        float wd = cfg.weightDecay();
        k.rsgdStep(xu, gxu, bu, firstStep, lr, mu, wd);
        k.rsgdStep(xi, gxi, bi, firstStep, lr, mu, wd);
        if (tags) {
            k.rsgdStep(xt, gxt, bt, firstStep, lr, mu, wd);
        }
        firstStep = false;
        if (cfg.maxNorm() > 0) {
            renormParameters(xu, bu);
            renormParameters(xi, bi);
            if (tags) {
                renormParameters(xt, bt);
            }
        }
        return loss;
    }

    /** The longest spatial part of any parameter row (users, items, tags); for tests. */
    double maxParameterNorm() {
        double max = 0;
        for (Mat m : tags ? new Mat[] {xu, xi, xt} : new Mat[] {xu, xi}) {
            float[] h = new float[m.rows() * m.cols()];
            k.download(m, h);
            int d = m.cols();
            for (int r = 0; r < m.rows(); r++) {
                double s = 0;
                for (int j = 1; j < d; j++) {
                    s += (double) h[r * d + j] * h[r * d + j];
                }
                max = Math.max(max, Math.sqrt(s));
            }
        }
        return max;
    }

    /** Host copies for {@link #renormParameters}, per parameter matrix (made on first use). */
    private final java.util.Map<Mat, float[][]> hostCopies = new java.util.IdentityHashMap<>();

    /**
     * {@link TrainConfig#maxNorm}: rows of {@code x} whose spatial part is longer are pulled back,
     * their momentum reset. On the host: an opt-in guard for fast schedules, not a hot path.
     */
    private void renormParameters(Mat x, Mat buf) {
        float[][] host =
                hostCopies.computeIfAbsent(
                        x,
                        m ->
                                new float[][] {
                                    new float[m.rows() * m.cols()], new float[m.rows() * m.cols()]
                                });
        float[] hx = host[0];
        float[] hb = host[1];
        k.download(x, hx);
        int d = x.cols();
        java.util.BitSet moved = new java.util.BitSet();
        for (int r = 0; r < x.rows(); r++) {
            if (Lorentz.renormSpatial(hx, r * d, d, cfg.maxNorm())) {
                moved.set(r);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        // The momentum would push a clamped row straight back out, step after step, until it
        // overflows: a row at the bound starts its momentum afresh.
        k.download(buf, hb);
        moved.stream().forEach(r -> java.util.Arrays.fill(hb, r * d, (r + 1) * d, 0f));
        k.upload(hx, x);
        k.upload(hb, buf);
    }

    /** Encodes the user–item view with the current parameters; returns the output points. */
    /**
     * The tags' points in the tag view (the tag rows of its encoder's output) for the current
     * parameters: cold start places a new item from them.
     */
    private float[] encodeTags() {
        k.logmap0(xt, tTag.slice(0, nt));
        k.logmap0(xi, tUi.slice(nu, nu + ni));
        k.copy(tUi.slice(nu, nu + ni), tTag.slice(nt, nt + ni));
        Mat hTag = tagView.encode(tTag);
        float[] all = new float[(nt + ni) * d];
        k.download(hTag, all);
        return java.util.Arrays.copyOf(all, nt * d);
    }

    Mat encodeUserItem() {
        k.logmap0(xu, tUi.slice(0, nu));
        k.logmap0(xi, tUi.slice(nu, nu + ni));
        return ui.encode(tUi);
    }

    /**
     * Trains to early stop or the epoch limit, continuing from the store's checkpoint if it holds
     * one.
     */
    public TrainResult train(CheckpointStore store, TrainListener listener) {
        long start = System.nanoTime();
        RunState st = new RunState();
        store.load().ifPresent(bytes -> restore(bytes, st));
        listener.started(st.epoch + 1, cfg.epochs(), steps);
        while (st.epoch < cfg.epochs() && st.stopCount < cfg.patience()) {
            long t0 = System.nanoTime();
            double sum = 0;
            for (int s = 0; s < steps; s++) {
                double l = step(s);
                if (Double.isNaN(l)) {
                    throw new IllegalStateException(
                            "loss became NaN at epoch " + (st.epoch + 1) + ", step " + s);
                }
                sum += l;
            }
            long t1 = System.nanoTime();
            st.epoch++;
            Mat h = encodeUserItem();
            Mat users = h.slice(0, nu);
            Mat items = h.slice(nu, nu + ni);
            Metrics val = evaluator.evaluate(users, items, data.train(), data.valid());
            Metrics test = null;
            if (val.sum() >= st.bestScore) {
                st.bestScore = val.sum();
                st.bestEpoch = st.epoch;
                st.stopCount = 0;
                test = evaluator.evaluate(users, items, data.train(), data.test());
                st.bestVal = val;
                st.bestTest = test;
                float[] all = new float[(nu + ni) * d];
                k.download(h, all);
                st.bestUsers = java.util.Arrays.copyOf(all, nu * d);
                st.bestItems = java.util.Arrays.copyOfRange(all, nu * d, (nu + ni) * d);
                st.bestTags = tags ? encodeTags() : null;
            } else {
                st.stopCount++;
            }
            long t2 = System.nanoTime();
            EpochResult r =
                    new EpochResult(
                            st.epoch, sum / steps, (t1 - t0) / 1e9, (t2 - t1) / 1e9, val, test);
            st.history.add(r);
            listener.epochDone(r, st.bestEpoch, st.stopCount);
            boolean finished = st.epoch >= cfg.epochs() || st.stopCount >= cfg.patience();
            if (store != CheckpointStore.NONE
                    && (st.epoch % cfg.checkpointEvery() == 0 || finished)) {
                byte[] bytes = snapshot(st);
                store.save(bytes);
                listener.checkpointed(st.epoch, bytes.length);
            }
        }
        if (st.bestUsers == null) {
            throw new IllegalStateException(
                    "no epoch was trained (epoch limit " + cfg.epochs() + ")");
        }
        return new TrainResult(
                List.copyOf(st.history),
                st.bestEpoch,
                st.bestVal,
                st.bestTest,
                st.bestUsers,
                st.bestItems,
                st.bestTags,
                d,
                (System.nanoTime() - start) / 1e9,
                st.stopCount >= cfg.patience());
    }

    /** Mutable bookkeeping of a run, saved in checkpoints. */
    private static final class RunState {
        int epoch;
        int bestEpoch;
        int stopCount;
        double bestScore = 0;
        Metrics bestVal;
        Metrics bestTest;
        float[] bestUsers;
        float[] bestItems;
        float[] bestTags;
        final List<EpochResult> history = new ArrayList<>();
    }

    private byte[] snapshot(RunState st) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(STATE_VERSION);
            out.writeUTF(cfg.toString());
            out.writeInt(nu);
            out.writeInt(ni);
            out.writeInt(nt);
            out.writeInt(st.epoch);
            out.writeInt(st.bestEpoch);
            out.writeInt(st.stopCount);
            out.writeDouble(st.bestScore);
            out.writeBoolean(firstStep);
            writeMetrics(out, st.bestVal);
            writeMetrics(out, st.bestTest);
            writeFloats(out, st.bestUsers);
            writeFloats(out, st.bestItems);
            writeFloats(out, st.bestTags);
            for (Mat m : tags ? new Mat[] {xu, xi, xt, bu, bi, bt} : new Mat[] {xu, xi, bu, bi}) {
                float[] host = new float[m.rows() * m.cols()];
                k.download(m, host);
                writeFloats(out, host);
            }
            uiSampler.writeState(out);
            if (tagTagSampler != null) {
                tagTagSampler.writeState(out);
            }
            if (tagItemSampler != null) {
                tagItemSampler.writeState(out);
            }
            out.writeInt(st.history.size());
            for (EpochResult r : st.history) {
                out.writeInt(r.epoch());
                out.writeDouble(r.loss());
                out.writeDouble(r.seconds());
                out.writeDouble(r.evalSeconds());
                writeMetrics(out, r.validation());
                writeMetrics(out, r.test());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void restore(byte[] bytes, RunState st) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int version = in.readInt();
            if (version != STATE_VERSION) {
                throw new IllegalStateException(
                        "checkpoint has state version "
                                + version
                                + ", this trainer writes "
                                + STATE_VERSION);
            }
            String savedCfg = in.readUTF();
            if (!savedCfg.equals(cfg.toString())) {
                throw new IllegalStateException(
                        "checkpoint was written by another configuration:\n  saved:   "
                                + savedCfg
                                + "\n  current: "
                                + cfg);
            }
            int snu = in.readInt();
            int sni = in.readInt();
            int snt = in.readInt();
            if (snu != nu || sni != ni || snt != nt) {
                throw new IllegalStateException(
                        "checkpoint is for "
                                + snu
                                + " users, "
                                + sni
                                + " items, "
                                + snt
                                + " tags; the dataset has "
                                + nu
                                + ", "
                                + ni
                                + ", "
                                + nt);
            }
            st.epoch = in.readInt();
            st.bestEpoch = in.readInt();
            st.stopCount = in.readInt();
            st.bestScore = in.readDouble();
            firstStep = in.readBoolean();
            st.bestVal = readMetrics(in);
            st.bestTest = readMetrics(in);
            st.bestUsers = readFloats(in);
            st.bestItems = readFloats(in);
            st.bestTags = readFloats(in);
            for (Mat m : tags ? new Mat[] {xu, xi, xt, bu, bi, bt} : new Mat[] {xu, xi, bu, bi}) {
                k.upload(readFloats(in), m);
            }
            uiSampler.readState(in);
            if (tagTagSampler != null) {
                tagTagSampler.readState(in);
            }
            if (tagItemSampler != null) {
                tagItemSampler.readState(in);
            }
            int n = in.readInt();
            for (int q = 0; q < n; q++) {
                st.history.add(
                        new EpochResult(
                                in.readInt(),
                                in.readDouble(),
                                in.readDouble(),
                                in.readDouble(),
                                readMetrics(in),
                                readMetrics(in)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt training checkpoint", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.length * 4);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] raw = new byte[n * 4];
        in.readFully(raw);
        float[] v = new float[n];
        java.nio.ByteBuffer.wrap(raw).asFloatBuffer().get(v);
        return v;
    }

    private static void writeMetrics(DataOutputStream out, Metrics m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            out.writeDouble(m.recall10());
            out.writeDouble(m.recall20());
            out.writeDouble(m.ndcg10());
            out.writeDouble(m.ndcg20());
            out.writeInt(m.users());
        }
    }

    private static Metrics readMetrics(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new Metrics(
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
    }
}
