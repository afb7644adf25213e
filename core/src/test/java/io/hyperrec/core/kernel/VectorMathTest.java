package io.hyperrec.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    private static final int L = VectorMath.S.length();

    @Test
    void expIsWithinAFewUlpOfMathExpOverTheTrainingRange() {
        float[] in = new float[L];
        float[] out = new float[L];
        double worst = 0;
        for (float x = -87f; x < 88f; x += 0.01337f * L) {
            for (int l = 0; l < L; l++) {
                in[l] = x + 0.01337f * l;
            }
            VectorMath.exp(FloatVector.fromArray(VectorMath.S, in, 0)).intoArray(out, 0);
            for (int l = 0; l < L; l++) {
                double e = Math.exp(in[l]);
                worst = Math.max(worst, Math.abs(out[l] - e) / e);
            }
        }
        assertThat(worst).isLessThan(5e-7);
    }

    @Test
    void logIsWithinAFewUlpOfMathLog() {
        float[] in = new float[L];
        float[] out = new float[L];
        double worst = 0;
        for (double x = 1e-6; x < 1e6; x *= 1.0 + 0.003 * L) {
            for (int l = 0; l < L; l++) {
                in[l] = (float) (x * (1 + 0.003 * l));
            }
            VectorMath.log(FloatVector.fromArray(VectorMath.S, in, 0)).intoArray(out, 0);
            for (int l = 0; l < L; l++) {
                double e = Math.log(in[l]);
                worst = Math.max(worst, Math.abs(out[l] - e) / Math.max(1e-3, Math.abs(e)));
            }
        }
        assertThat(worst).isLessThan(5e-7);
        // Exactly around 1, where the arcosh of nearby points lands.
        for (int l = 0; l < L; l++) {
            in[l] = 1f + l * 1e-5f;
        }
        VectorMath.log(FloatVector.fromArray(VectorMath.S, in, 0)).intoArray(out, 0);
        for (int l = 0; l < L; l++) {
            assertThat((double) out[l])
                    .isCloseTo(Math.log(in[l]), org.assertj.core.api.Assertions.within(1e-7));
        }
    }
}
