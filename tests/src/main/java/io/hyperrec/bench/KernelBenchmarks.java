package io.hyperrec.bench;

import io.hyperrec.core.geometry.Lorentz;
import io.hyperrec.core.kernel.CpuKernels;
import io.hyperrec.core.kernel.CsrMatrix;
import io.hyperrec.core.kernel.Kernels;
import io.hyperrec.core.kernel.Mat;
import io.hyperrec.core.kernel.SparseMat;
import io.hyperrec.core.kernel.Triples;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot kernels of a phase-2 step at Beauty's shapes (10,553 users, 6,086 items, 6,418 tags, 50
 * coordinates, 70,614 training edges, 4,096 triples), on random data of those shapes so that the
 * benchmark needs no dataset. Run: see BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
@State(Scope.Benchmark)
public class KernelBenchmarks {
    static final int USERS = 10_553;
    static final int ITEMS = 6_086;
    static final int EDGES = 70_614;
    static final int D = 50;

    Kernels k;
    SparseMat graph;
    Mat tangent;
    Mat out;
    Mat itemsA;
    Mat itemsB;
    Mat gradA;
    Mat gradB;
    Mat points;
    Mat gradPoints;
    Mat buf;
    Mat users;
    Triples triples;
    int[] topItems = new int[2048 * 20];
    float[] topScores = new float[2048 * 20];

    static float[] randomPoints(SplittableRandom rnd, int rows, double scale) {
        float[] u = new float[rows * D];
        for (int i = 0; i < rows; i++) {
            for (int j = 1; j < D; j++) {
                u[i * D + j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
            }
            Lorentz.expmap0(u, i * D, u, i * D, D);
        }
        return u;
    }

    @Setup(Level.Trial)
    public void setup() {
        k = new CpuKernels();
        SplittableRandom rnd = new SplittableRandom(1);
        int n = USERS + ITEMS;
        int[] r = new int[2 * EDGES];
        int[] c = new int[2 * EDGES];
        for (int e = 0; e < EDGES; e++) {
            int u = rnd.nextInt(USERS);
            int i = USERS + rnd.nextInt(ITEMS);
            r[2 * e] = u;
            c[2 * e] = i;
            r[2 * e + 1] = i;
            c[2 * e + 1] = u;
        }
        graph =
                k.sparse(
                        CsrMatrix.fromCoo(n, n, r, c, null, 2 * EDGES).plusIdentityRowNormalized());
        tangent = k.allocate(n, D);
        out = k.allocate(n, D);
        k.upload(randomPoints(rnd, n, 0.3), tangent);
        itemsA = k.allocate(ITEMS, D);
        itemsB = k.allocate(ITEMS, D);
        gradA = k.allocate(ITEMS, D);
        gradB = k.allocate(ITEMS, D);
        k.upload(randomPoints(rnd, ITEMS, 0.5), itemsA);
        k.upload(randomPoints(rnd, ITEMS, 0.5), itemsB);
        points = k.allocate(n, D);
        gradPoints = k.allocate(n, D);
        buf = k.allocate(n, D);
        k.upload(randomPoints(rnd, n, 0.5), points);
        users = k.allocate(2048, D);
        k.upload(randomPoints(rnd, 2048, 0.5), users);
        triples = Triples.allocate(4096);
        for (int e = 0; e < 4096; e++) {
            triples.anchors()[e] = rnd.nextInt(USERS);
            triples.positives()[e] = USERS + rnd.nextInt(ITEMS);
            triples.negatives()[e] = USERS + rnd.nextInt(ITEMS);
        }
        triples = triples.withCount(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        k.close();
    }

    /** One propagation layer over the user–item graph (forward; the backward is the same cost). */
    @Benchmark
    public Mat propagateUserItemLayer() {
        k.spmm(graph, false, tangent, out);
        return out;
    }

    /** The contrastive loss and both gradients over all 6,086 items (three 6,086² products). */
    @Benchmark
    public double contrastiveLossAndGradients() {
        return k.contrastiveLoss(itemsA, itemsB, 0.5f, 0.01f, gradA, gradB);
    }

    /** Pairwise Lorentz products and top-20 for 2,048 users against all items (evaluation). */
    @Benchmark
    public int[] pairwiseTop20For2048Users() {
        k.topK(users, itemsA, null, 0, 20, topItems, topScores);
        return topItems;
    }

    /** Margin loss of one batch of 4,096 triples. */
    @Benchmark
    public double marginLoss4096() {
        return k.marginLoss(points, triples, 1.6f, gradPoints);
    }

    /** Row-wise expmap0 over every user and item. */
    @Benchmark
    public Mat expmap0AllRows() {
        k.expmap0(tangent, out);
        return out;
    }

    /** One Riemannian SGD step over every user and item. */
    @Benchmark
    public Mat riemannianSgdAllRows() {
        k.copy(tangent, gradPoints);
        k.rsgdStep(points, gradPoints, buf, false, 1e-3f, 0.95f, 5e-4f);
        return points;
    }
}
