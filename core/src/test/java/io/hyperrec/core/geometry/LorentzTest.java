package io.hyperrec.core.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LorentzTest {
    private static final int D = 6;

    private static float[] randomTangent(SplittableRandom rnd, double scale, boolean timeZero) {
        float[] u = new float[D];
        for (int j = timeZero ? 1 : 0; j < D; j++) {
            u[j] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return u;
    }

    private static float[] point(SplittableRandom rnd, double scale) {
        float[] u = randomTangent(rnd, scale, true);
        float[] x = new float[D];
        Lorentz.expmap0(u, 0, x, 0, D);
        return x;
    }

    @Test
    void expmap0LandsOnTheHyperboloid() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int t = 0; t < 100; t++) {
            float[] x = point(rnd, 0.5);
            assertThat(Lorentz.inner(x, 0, x, 0, D)).isCloseTo(-1.0, within(1e-5));
            assertThat(x[0]).isPositive();
        }
    }

    @Test
    void originMapsToOriginAndBack() {
        float[] zero = new float[D];
        float[] x = new float[D];
        Lorentz.expmap0(zero, 0, x, 0, D);
        assertThat(x[0]).isEqualTo(1f);
        for (int j = 1; j < D; j++) {
            assertThat(x[j]).isEqualTo(0f);
        }
        float[] t = new float[D];
        Lorentz.logmap0(x, 0, t, 0, D);
        for (int j = 0; j < D; j++) {
            assertThat(t[j]).isFinite().isCloseTo(0f, within(1e-6f));
        }
        // The arcosh clamp leaves d²(x,x) at about 2e-8 rather than 0.
        assertThat(Lorentz.sqdist(x, 0, x, 0, D)).isCloseTo(0.0, within(1e-7));
    }

    @Test
    void logmap0InvertsExpmap0BelowTheNormClamp() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int t = 0; t < 50; t++) {
            float[] u = randomTangent(rnd, 0.4, true);
            float[] x = new float[D];
            float[] back = new float[D];
            Lorentz.expmap0(u, 0, x, 0, D);
            Lorentz.logmap0(x, 0, back, 0, D);
            for (int j = 0; j < D; j++) {
                assertThat(back[j]).isCloseTo(u[j], within(2e-4f));
            }
        }
    }

    @Test
    void expmap0ClampsTheTangentNormAtOnePointFive() {
        float[] u = {0, 3, 4, 0, 0, 0}; // norm 5
        float[] x = new float[D];
        Lorentz.expmap0(u, 0, x, 0, D);
        // Distance from the origin equals the clamped norm.
        assertThat(Math.log(x[0] + Math.sqrt(x[0] * (double) x[0] - 1)))
                .isCloseTo(1.5, within(1e-5));
        assertThat(x[1] / x[2]).isCloseTo(0.75f, within(1e-6f));
    }

    @Test
    void expmap0UsesTheTimeCoordinateInTheNorm() {
        float[] u = {0.3f, 0.5f, 0, 0, 0, 0};
        float[] x = new float[D];
        Lorentz.expmap0(u, 0, x, 0, D);
        double n = Math.sqrt(0.25 - 0.09);
        assertThat(x[1]).isCloseTo((float) (Math.sinh(n) / n * 0.5), within(1e-6f));
    }

    @Test
    void largeDistancesStayFinite() {
        float[] a = {0, 0, 0, 0, 0, 0};
        float[] b = new float[D];
        float[] x = new float[D];
        float[] y = new float[D];
        a[1] = 1.5f;
        b[1] = -1.5f;
        Lorentz.expmap0(a, 0, x, 0, D);
        Lorentz.expmap0(b, 0, y, 0, D);
        assertThat(Lorentz.sqdist(x, 0, y, 0, D)).isCloseTo(9.0, within(1e-4));
    }

    @Test
    void sqdistIsSymmetricAndZeroOnTheDiagonal() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = point(rnd, 0.8);
        float[] y = point(rnd, 0.8);
        assertThat(Lorentz.sqdist(x, 0, y, 0, D))
                .isCloseTo(Lorentz.sqdist(y, 0, x, 0, D), within(1e-9));
        assertThat(Lorentz.sqdist(x, 0, x, 0, D)).isCloseTo(0.0, within(1e-3));
    }

    @Test
    void expmapRetractionStaysOnTheManifoldAndTransportKeepsTangency() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int t = 0; t < 50; t++) {
            float[] x = point(rnd, 0.7);
            float[] v = randomTangent(rnd, 0.3, false);
            float[] u = v.clone();
            float[] y = new float[D];
            Lorentz.expmap(x, 0, u, 0, y, 0, D);
            assertThat(Lorentz.inner(y, 0, y, 0, D)).isCloseTo(-1.0, within(1e-5));
            // u was projected onto T_x: ⟨x,u⟩ = 0 (for ⟨x,x⟩ = −1).
            assertThat(Lorentz.inner(x, 0, u, 0, D)).isCloseTo(0.0, within(1e-5));
            float[] w = u.clone();
            Lorentz.transport(x, 0, y, 0, w, 0, D);
            assertThat(Lorentz.inner(y, 0, w, 0, D)).isCloseTo(0.0, within(1e-4));
            // Transport is an isometry between tangent spaces.
            assertThat(Lorentz.inner(w, 0, w, 0, D))
                    .isCloseTo(Lorentz.inner(u, 0, u, 0, D), within(1e-5));
        }
    }

    @Test
    void riemannianGradientIsTangent() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = point(rnd, 0.9);
        float[] g = randomTangent(rnd, 1, false);
        Lorentz.egradToRgrad(x, 0, g, 0, D);
        assertThat(Lorentz.inner(x, 0, g, 0, D)).isCloseTo(0.0, within(1e-5));
    }

    /** f(u) = Σ c_j·expmap0(u)_j; checks expmap0Backward against central differences. */
    @Test
    void expmap0BackwardMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (double scale : new double[] {0.05, 0.3, 0.9, 2.0}) {
            for (boolean timeZero : new boolean[] {true, false}) {
                float[] u = randomTangent(rnd, scale, timeZero);
                if (!timeZero) {
                    u[0] = (float) (0.3 * u[0]); // keep the Minkowski norm positive
                }
                double[] c = new double[D];
                for (int j = 0; j < D; j++) {
                    c[j] = rnd.nextDouble() * 2 - 1;
                }
                float[] h = new float[D];
                Lorentz.expmap0(u, 0, h, 0, D);
                float[] gh = new float[D];
                for (int j = 0; j < D; j++) {
                    gh[j] = (float) c[j];
                }
                float[] gu = new float[D];
                Lorentz.expmap0Backward(u, 0, h, 0, gh, 0, gu, 0, D);
                for (int k = 0; k < D; k++) {
                    double fd =
                            finiteDiff(
                                    u,
                                    k,
                                    v -> {
                                        float[] o = new float[D];
                                        Lorentz.expmap0(v, 0, o, 0, D);
                                        double s = 0;
                                        for (int j = 0; j < D; j++) {
                                            s += c[j] * o[j];
                                        }
                                        return s;
                                    });
                    assertThat(gu[k])
                            .as("scale %s time0 %s coord %s", scale, timeZero, k)
                            .isCloseTo(
                                    (float) fd, within((float) (2e-3 * Math.max(1, Math.abs(fd)))));
                }
            }
        }
    }

    @Test
    void logmap0BackwardMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (double scale : new double[] {0.05, 0.5, 1.4}) {
            float[] y = point(rnd, scale);
            double[] c = new double[D];
            float[] gt = new float[D];
            for (int j = 0; j < D; j++) {
                c[j] = rnd.nextDouble() * 2 - 1;
                gt[j] = (float) c[j];
            }
            float[] gy = new float[D];
            Lorentz.logmap0Backward(y, 0, gt, 0, gy, 0, D);
            for (int k = 0; k < D; k++) {
                double fd =
                        finiteDiff(
                                y,
                                k,
                                v -> {
                                    float[] o = new float[D];
                                    Lorentz.logmap0(v, 0, o, 0, D);
                                    double s = 0;
                                    for (int j = 0; j < D; j++) {
                                        s += c[j] * o[j];
                                    }
                                    return s;
                                });
                assertThat(gy[k])
                        .as("scale %s coord %s", scale, k)
                        .isCloseTo((float) fd, within((float) (3e-3 * Math.max(1, Math.abs(fd)))));
            }
        }
    }

    @Test
    void logmap0IsExactNearTheOriginWhereTheTimeCoordinateRoundsToOne() {
        // y₀ = sqrt(1 + 1e-8) is 1.0f in float: the arcosh(y₀)/sqrt(y₀²−1) form has nothing left
        // to work with there (it scaled this point by about 4,400).
        float[] y = {1f, 1e-4f, 0, 0, 0, 0};
        float[] t = new float[D];
        Lorentz.logmap0(y, 0, t, 0, D);
        assertThat(t[1]).isCloseTo(1e-4f, within(1e-10f));
        assertThat(t[0]).isZero();
    }

    @Test
    void theAsinhRatioAndItsSlopeAgreeAcrossTheirSeriesThresholds() {
        for (double n : new double[] {1e-3, 1e-2}) {
            double below = Math.nextDown(n);
            assertThat(Lorentz.asinhRatio(below)).isCloseTo(Lorentz.asinhRatio(n), within(1e-12));
            assertThat(Lorentz.asinhRatioSlopeOverN(below))
                    .isCloseTo(Lorentz.asinhRatioSlopeOverN(n), within(1e-9));
        }
        // Against the reference's form where that one is well conditioned (double, moderate n).
        for (double n : new double[] {0.05, 0.5, 3}) {
            double y0 = Math.sqrt(1 + n * n);
            double reference = Lorentz.acosh(y0) / Math.sqrt(y0 * y0 - 1);
            assertThat(Lorentz.asinhRatio(n)).isCloseTo(reference, within(1e-12));
        }
    }

    @Test
    void logmap0BackwardIsBoundedAndMatchesFiniteDifferencesNearTheOrigin() {
        for (double n : new double[] {1e-6, 1e-4, 5e-3, 2e-2}) {
            float[] y = {1f, (float) (0.6 * n), (float) (-0.8 * n), 0, 0, 0};
            Lorentz.project(y, 0, D);
            float[] gt = {0, 0.3f, 0.7f, -0.2f, 0.1f, 0.5f};
            float[] gy = new float[D];
            Lorentz.logmap0Backward(y, 0, gt, 0, gy, 0, D);
            assertThat(gy[0]).isZero();
            for (int k = 1; k < D; k++) {
                // Central differences in double of t·g = asinh(n)/n · (y·g), spatial coordinate k.
                double h = 1e-7;
                double[] yp = new double[D];
                double[] ym = new double[D];
                for (int j = 1; j < D; j++) {
                    yp[j] = y[j];
                    ym[j] = y[j];
                }
                yp[k] += h;
                ym[k] -= h;
                double fd = (objective(yp, gt) - objective(ym, gt)) / (2 * h);
                assertThat((double) gy[k]).as("n %s coord %s", n, k).isCloseTo(fd, within(1e-5));
            }
        }
    }

    private static double objective(double[] ys, float[] gt) {
        double n2 = 0;
        double dot = 0;
        for (int j = 1; j < D; j++) {
            n2 += ys[j] * ys[j];
            dot += ys[j] * gt[j];
        }
        double n = Math.sqrt(n2);
        return Lorentz.asinhRatio(n) * dot;
    }

    @Test
    void theRiemannianGradientOfLogmap0IsTheReferenceFormsOne() {
        // The reference's extension, arcosh(y₀)/sqrt(y₀²−1) · y_s, differentiated in double at a
        // well-conditioned point, gives the same Riemannian gradient as ours (which ignores y₀).
        SplittableRandom rnd = new SplittableRandom(11);
        float[] y = point(rnd, 0.8);
        float[] gt = randomTangent(rnd, 1, true);
        float[] ours = new float[D];
        Lorentz.logmap0Backward(y, 0, gt, 0, ours, 0, D);
        double alpha = y[0];
        double den = Math.sqrt(alpha * alpha - 1);
        double r = Lorentz.acosh(alpha);
        double sRef = r / den;
        double dsRef = 1 / den / den - r * alpha / (den * den * den);
        float[] ref = new float[D];
        double dot = 0;
        for (int j = 1; j < D; j++) {
            dot += gt[j] * y[j];
            ref[j] = (float) (sRef * gt[j]);
        }
        ref[0] = (float) (dot * dsRef);
        Lorentz.egradToRgrad(y, 0, ours, 0, D);
        Lorentz.egradToRgrad(y, 0, ref, 0, D);
        for (int j = 0; j < D; j++) {
            assertThat(ours[j]).as("coord %s", j).isCloseTo(ref[j], within(2e-4f));
        }
    }

    interface Fn {
        double apply(float[] v);
    }

    static double finiteDiff(float[] at, int k, Fn f) {
        double h = 1e-3 * Math.max(1, Math.abs(at[k]));
        float[] p = at.clone();
        float[] m = at.clone();
        p[k] = (float) (at[k] + h);
        m[k] = (float) (at[k] - h);
        return (f.apply(p) - f.apply(m)) / ((double) p[k] - m[k]);
    }

    @Test
    void renormSpatialPullsAFarPointBackAlongItsGeodesic() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] u = randomTangent(rnd, 1.0, true);
        double n = Lorentz.norm(u, 0, D);
        for (int j = 1; j < D; j++) {
            u[j] = (float) (u[j] * 4.0 / n); // 4 from the origin
        }
        float[] x = new float[D];
        Lorentz.expmap0(u, 0, x, 0, D);
        float[] before = x.clone();

        assertThat(Lorentz.renormSpatial(x, 0, D, 1.5)).isTrue();

        double spatial = 0;
        double cos = 0;
        double nb = 0;
        for (int j = 1; j < D; j++) {
            spatial += (double) x[j] * x[j];
            cos += (double) x[j] * before[j];
            nb += (double) before[j] * before[j];
        }
        assertThat(Math.sqrt(spatial)).isCloseTo(1.5, within(1e-5));
        assertThat(cos / Math.sqrt(spatial * nb)).as("same direction").isCloseTo(1.0, within(1e-6));
        assertThat(Lorentz.inner(x, 0, x, 0, D))
                .as("on the hyperboloid")
                .isCloseTo(-1.0, within(1e-5));

        float[] near = x.clone();
        assertThat(Lorentz.renormSpatial(near, 0, D, 2.0)).isFalse();
        assertThat(near).isEqualTo(x);
    }
}
