package io.hyperrec.core.geometry;

/**
 * Row-wise operations of the Lorentz model of hyperbolic space with curvature −1, exactly as the
 * HyperLLM reference code computes them (HYPERLLM.md, "Geometry"), plus their hand-derived backward
 * passes.
 *
 * <p>A point or tangent vector is a row of {@code d} floats in an array at an offset; coordinate 0
 * is the time coordinate. Arithmetic is done in double and stored as float. All methods are
 * stateless and thread-safe; methods named {@code ...Backward} accumulate ({@code +=}) into their
 * gradient output unless documented otherwise.
 *
 * <p>Deviation from the reference: {@code logmap0} is computed from the spatial part alone, as
 * asinh(‖y_s‖)/‖y_s‖ · y_s, which equals the reference's arcosh(y₀)/sqrt(y₀²−1) · y_s on the
 * manifold. The reference's form cancels catastrophically near the origin once y₀ is stored in
 * float (y₀ rounds to 1 for ‖y_s‖ below 2.4e-4, and its derivative subtracts two terms of order
 * 1/(y₀²−1)^{3/2}); that produced gradients of 1e6 and more on near-origin users and a NaN loss in
 * a retrain on ml-100k (docs/trainer.md). Its backward pass gives no gradient to y₀; the Riemannian
 * gradient is the same, since two extensions of a function off the hyperboloid differ by a multiple
 * of its normal, which the tangent projection removes.
 */
public final class Lorentz {

    /** Upper clamp of tangent norms in {@link #expmap0} and {@link #expmap}. */
    public static final double MAX_NORM = 1.5;

    /** Lower clamp of the arcosh argument. */
    public static final double ACOSH_MIN = 1 + 1e-8;

    /** Lower clamp under every square root of a norm. */
    public static final double SQRT_MIN = 1e-9;

    /** Gradient factor of a value held at a clamp (the reference's "leaky clamp"). */
    public static final double LEAK = 1e-8;

    /** Lower clamp of the denominator of parallel transport. */
    public static final double TRANSPORT_MIN = 1e-7;

    private static final double SINH_MAX = Math.sinh(MAX_NORM);
    private static final double COSH_MAX = Math.cosh(MAX_NORM);

    private Lorentz() {}

    /** Minkowski inner product ⟨x,y⟩_L = −x₀y₀ + Σ_{j≥1} x_j y_j. */
    public static double inner(float[] x, int xo, float[] y, int yo, int d) {
        double s = -(double) x[xo] * y[yo];
        for (int j = 1; j < d; j++) {
            s += (double) x[xo + j] * y[yo + j];
        }
        return s;
    }

    /** Clamped arcosh: log(w' + sqrt(max(w'²−1, 1e-9))) with w' = max(w, 1+1e-8). */
    public static double acosh(double w) {
        double wc = Math.max(w, ACOSH_MIN);
        return Math.log(wc + Math.sqrt(Math.max(wc * wc - 1, SQRT_MIN)));
    }

    /**
     * Derivative of {@link #acosh} as the reference's autograd defines it: 1/sqrt(max(w'²−1,
     * 1e-9)), also below the clamp.
     */
    public static double acoshGrad(double w) {
        double wc = Math.max(w, ACOSH_MIN);
        return 1.0 / Math.sqrt(Math.max(wc * wc - 1, SQRT_MIN));
    }

    /** Squared distance d²(x,y) = arcosh(−⟨x,y⟩_L)². */
    public static double sqdist(float[] x, int xo, float[] y, int yo, int d) {
        double r = acosh(-inner(x, xo, y, yo, d));
        return r * r;
    }

    /**
     * The reference's {@code projx} with {@code max_norm}: when the spatial part of a point is
     * longer than {@code maxNorm}, it is scaled to that length (the point moves along its geodesic
     * towards the origin) and x₀ recomputed. Points within the bound are left alone.
     *
     * @return whether the point was moved
     */
    public static boolean renormSpatial(float[] x, int xo, int d, double maxNorm) {
        double s = 0;
        for (int j = 1; j < d; j++) {
            s += (double) x[xo + j] * x[xo + j];
        }
        double ns = Math.sqrt(s);
        if (!(ns > maxNorm)) {
            return false;
        }
        double scale = maxNorm / ns;
        for (int j = 1; j < d; j++) {
            x[xo + j] = (float) (x[xo + j] * scale);
        }
        project(x, xo, d);
        return true;
    }

    /** Recomputes the time coordinate: x₀ = sqrt(1 + Σ_{j≥1} x_j²), in place. */
    public static void project(float[] x, int xo, int d) {
        double s = 0;
        for (int j = 1; j < d; j++) {
            s += (double) x[xo + j] * x[xo + j];
        }
        x[xo] = (float) Math.sqrt(1 + s);
    }

    /** Minkowski norm with the reference's clamp: sqrt(max(⟨u,u⟩_L, 1e-9)). */
    public static double norm(float[] u, int uo, int d) {
        return Math.sqrt(Math.max(inner(u, uo, u, uo, d), SQRT_MIN));
    }

    /**
     * Exponential map at the origin followed by {@code project}. The time coordinate of {@code u}
     * need not be 0: it enters the Minkowski norm, as in the reference. {@code out} may alias
     * {@code u}.
     */
    public static void expmap0(float[] u, int uo, float[] out, int oo, int d) {
        double n = norm(u, uo, d);
        double s = Math.sinh(Math.min(n, MAX_NORM)) / n;
        double sq = 0;
        for (int j = 1; j < d; j++) {
            double v = s * u[uo + j];
            out[oo + j] = (float) v;
            sq += v * v;
        }
        out[oo] = (float) Math.sqrt(1 + sq);
    }

    /**
     * Backward of {@link #expmap0}: given u and dL/dh, writes (overwrites) dL/du.
     *
     * @param u the input tangent row
     * @param h the output point row (as produced by expmap0(u))
     * @param gh the gradient with respect to h
     * @param gu receives the gradient with respect to u (overwritten)
     */
    public static void expmap0Backward(
            float[] u, int uo, float[] h, int ho, float[] gh, int gho, float[] gu, int guo, int d) {
        double q = inner(u, uo, u, uo, d);
        double leak = q >= SQRT_MIN ? 1.0 : LEAK;
        double n = Math.sqrt(Math.max(q, SQRT_MIN));
        double a;
        double da;
        if (n <= MAX_NORM) {
            double sh = Math.sinh(n);
            a = sh / n;
            da = (n * Math.cosh(n) - sh) / (n * n);
        } else {
            a = SINH_MAX / n;
            da = -SINH_MAX / (n * n);
        }
        double h0 = h[ho];
        double g0 = gh[gho];
        double dot = 0;
        for (int j = 1; j < d; j++) {
            double gp = gh[gho + j] + g0 * h[ho + j] / h0;
            dot += gp * u[uo + j];
            gu[guo + j] = (float) (a * gp);
        }
        double c = dot * da * leak / n;
        for (int j = 1; j < d; j++) {
            gu[guo + j] = (float) (gu[guo + j] + c * u[uo + j]);
        }
        gu[guo] = (float) (-c * u[uo]);
    }

    /**
     * Logarithmic map at the origin: asinh(n)/n · (0, y₁, …) with n = ‖(y₁, …)‖, which is
     * arcosh(y₀)/sqrt(y₀²−1) · (0, y₁, …) on the manifold (see the class comment). {@code out} may
     * alias {@code y}.
     */
    public static void logmap0(float[] y, int yo, float[] out, int oo, int d) {
        double s = asinhRatio(spatialNorm(y, yo, d));
        for (int j = 1; j < d; j++) {
            out[oo + j] = (float) (s * y[yo + j]);
        }
        out[oo] = 0f;
    }

    private static double spatialNorm(float[] y, int yo, int d) {
        double n2 = 0;
        for (int j = 1; j < d; j++) {
            double v = y[yo + j];
            n2 += v * v;
        }
        return Math.sqrt(n2);
    }

    /** asinh(n)/n, by its series below 1e-3 (the direct form loses digits there). */
    static double asinhRatio(double n) {
        if (n < 1e-3) {
            double n2 = n * n;
            return 1 - n2 / 6 + 3 * n2 * n2 / 40;
        }
        return Math.log(n + Math.sqrt(1 + n * n)) / n;
    }

    /** (d/dn (asinh(n)/n)) / n, by its series below 1e-2. */
    static double asinhRatioSlopeOverN(double n) {
        if (n < 1e-2) {
            double n2 = n * n;
            return -1.0 / 3 + 0.3 * n2 - 15.0 / 56 * n2 * n2;
        }
        return (n / Math.sqrt(1 + n * n) - Math.log(n + Math.sqrt(1 + n * n))) / (n * n * n);
    }

    /**
     * Backward of {@link #logmap0}: accumulates dL/dy += J(y)ᵀ dL/dt into the spatial coordinates
     * (y₀ gets none; see the class comment).
     */
    public static void logmap0Backward(
            float[] y, int yo, float[] gt, int gto, float[] gy, int gyo, int d) {
        double n = spatialNorm(y, yo, d);
        double s = asinhRatio(n);
        double c = asinhRatioSlopeOverN(n);
        double dot = 0;
        for (int j = 1; j < d; j++) {
            dot += (double) gt[gto + j] * y[yo + j];
        }
        double cd = c * dot;
        for (int j = 1; j < d; j++) {
            gy[gyo + j] = (float) (gy[gyo + j] + s * gt[gto + j] + cd * y[yo + j]);
        }
    }

    /**
     * The optimiser's retraction: u ← u + ⟨x,u⟩_L·x; n = clamped Minkowski norm of u (≤ 1.5 after
     * normalising); cosh(n)·x + sinh(n)·u/‖u‖; then project. Writes the new point into {@code out}
     * (must not alias x); {@code u} is modified in place (it receives the projected vector).
     */
    public static void expmap(float[] x, int xo, float[] u, int uo, float[] out, int oo, int d) {
        double xu = inner(x, xo, u, uo, d);
        for (int j = 0; j < d; j++) {
            u[uo + j] = (float) (u[uo + j] + xu * x[xo + j]);
        }
        double n = norm(u, uo, d);
        double nc = Math.min(n, MAX_NORM);
        double ch = nc == MAX_NORM ? COSH_MAX : Math.cosh(nc);
        double sh = (nc == MAX_NORM ? SINH_MAX : Math.sinh(nc)) / n;
        for (int j = 1; j < d; j++) {
            out[oo + j] = (float) (ch * x[xo + j] + sh * u[uo + j]);
        }
        project(out, oo, d);
    }

    /**
     * Parallel transport of v from x to y, in place: v + ⟨y,v⟩_L / max(1 − ⟨x,y⟩_L, 1e-7) · (x +
     * y).
     */
    public static void transport(float[] x, int xo, float[] y, int yo, float[] v, int vo, int d) {
        double c = inner(y, yo, v, vo, d) / Math.max(1 - inner(x, xo, y, yo, d), TRANSPORT_MIN);
        for (int j = 0; j < d; j++) {
            v[vo + j] = (float) (v[vo + j] + c * ((double) x[xo + j] + y[yo + j]));
        }
    }

    /**
     * Euclidean to Riemannian gradient, in place: negate the time component, then add ⟨x,g⟩_L·x.
     */
    public static void egradToRgrad(float[] x, int xo, float[] g, int go, int d) {
        g[go] = -g[go];
        double c = inner(x, xo, g, go, d);
        for (int j = 0; j < d; j++) {
            g[go + j] = (float) (g[go + j] + c * x[xo + j]);
        }
    }
}
