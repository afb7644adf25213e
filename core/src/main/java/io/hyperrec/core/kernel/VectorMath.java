package io.hyperrec.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and log on float vectors from plain IEEE arithmetic (Cephes' expf/logf: range reduction and
 * minimax polynomials, about 2 ulp). The Vector API's own {@code EXP}/{@code LOG} are compiled to
 * SVML routines by C2 but run as scalar {@code Math} calls before compilation, so their results
 * depend on when the JIT kicks in; these give the same bits interpreted or compiled, which makes a
 * training run reproducible across processes (a resumed run equals an uninterrupted one).
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float C1 = 0.693359375f;
    private static final float C2 = -2.12194440e-4f;
    private static final float SQRTHF = 0.707106781186547524f;

    static {
        if (S.length() != I.length()) {
            throw new IllegalStateException(
                    "float and int vectors differ in lanes: " + S.length() + " vs " + I.length());
        }
    }

    private VectorMath() {}

    /** 1.5·2²³: adding it rounds a float below 2²² to an integer held in the low mantissa bits. */
    private static final float MAGIC = 12582912f;

    private static final int MAGIC_BITS = 0x4B400000;

    /**
     * e^x for x in about [−87, 88] (clamped there). Written with arithmetic, blends and bit
     * operations only (no lane conversions or masked operations), which C2 compiles to SIMD on JDK
     * 17.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.7f);
        FloatVector t = x.mul(LOG2E).add(MAGIC);
        FloatVector k = t.sub(MAGIC);
        IntVector ki = t.reinterpretAsInts().sub(MAGIC_BITS);
        FloatVector r = x.sub(k.mul(C1)).sub(k.mul(C2));
        FloatVector z = r.mul(r);
        FloatVector y = r.mul(1.9875691500E-4f).add(1.3981999507E-3f);
        y = y.mul(r).add(8.3334519073E-3f);
        y = y.mul(r).add(4.1665795894E-2f);
        y = y.mul(r).add(1.6666665459E-1f);
        y = y.mul(r).add(5.0000001201E-1f);
        y = y.mul(z).add(r).add(1f);
        IntVector bits = ki.add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats());
    }

    /** Natural log for positive, normal x. */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        FloatVector ef = e.add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC);
        VectorMask<Float> small = m.compare(VectorOperators.LT, SQRTHF);
        ef = ef.blend(ef.sub(1f), small);
        FloatVector t = m.blend(m.add(m), small).sub(1f);
        FloatVector z = t.mul(t);
        FloatVector y = t.mul(7.0376836292E-2f).sub(1.1514610310E-1f);
        y = y.mul(t).add(1.1676998740E-1f);
        y = y.mul(t).sub(1.2420140846E-1f);
        y = y.mul(t).add(1.4249322787E-1f);
        y = y.mul(t).sub(1.6668057665E-1f);
        y = y.mul(t).add(2.0000714765E-1f);
        y = y.mul(t).sub(2.4999993993E-1f);
        y = y.mul(t).add(3.3333331174E-1f);
        y = y.mul(t).mul(z);
        y = y.add(ef.mul(C2));
        y = y.sub(z.mul(0.5f));
        return t.add(y).add(ef.mul(C1));
    }
}
