// hyperrec's own CUDA kernels, compiled by NVRTC when CudaKernels starts, for the architecture of
// the device it runs on (see Nvrtc.java). Dense products are cuBLAS's; everything else is here.
//
// Each kernel mirrors a method of io.hyperrec.core.kernel.ReferenceKernels and the formulas of
// io.hyperrec.core.geometry.Lorentz: double arithmetic where they compute in double, float where
// they store floats between steps, Java's NaN-propagating max/min, and --fmad=false (set by
// Nvrtc.java) so that a*b+c rounds twice, as in Java. The fused contrastive pass computes in float
// like CpuKernels.writeWeightsAndSum.
//
// Row kernels run one warp per row: lane l owns columns l, l+32, ..., so that every element is
// read and written by one thread (an output may alias an input where the Java contract allows it),
// and a row's sums are butterfly shuffles, which leave the same bits in every lane (addition is
// commutative). Every kernel but hr_margin without coefficients is deterministic.

#define FULL_MASK 0xffffffffu

static constexpr double ACOSH_MIN = 1.0 + 1e-8;
static constexpr double SQRT_MIN = 1e-9;
static constexpr double LEAK = 1e-8;
static constexpr double TRANSPORT_MIN = 1e-7;
static constexpr double MAX_NORM = 1.5;
// Math.sinh(1.5) and Math.cosh(1.5), as Lorentz.SINH_MAX and COSH_MAX.
static constexpr double SINH_MAX = 2.1292794550948173;
static constexpr double COSH_MAX = 2.352409615243247;
// (float) Lorentz.ACOSH_MIN rounds to 1, as in CpuKernels.
static constexpr float ACOSH_MIN_F = 1.0f;
static constexpr float SQRT_MIN_F = 1e-9f;

// Math.max and Math.min: NaN in, NaN out.
__device__ __forceinline__ double jmax(double a, double b) {
    return (a != a || b != b) ? a + b : (a >= b ? a : b);
}
__device__ __forceinline__ double jmin(double a, double b) {
    return (a != a || b != b) ? a + b : (a <= b ? a : b);
}
__device__ __forceinline__ float jmaxf(float a, float b) {
    return (a != a || b != b) ? a + b : (a >= b ? a : b);
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(FULL_MASK, v, o);
    }
    return v;
}

// Lorentz.inner over one row: -x0*y0 + sum_{j>=1} xj*yj, every lane gets the sum.
__device__ __forceinline__ double minkowski(const float* x, const float* y, int d, int lane) {
    double s = 0;
    for (int j = lane; j < d; j += 32) {
        double p = (double) x[j] * y[j];
        s += j == 0 ? -p : p;
    }
    return warp_sum(s);
}

// sum_{j>=1} yj^2 over one row.
__device__ __forceinline__ double spatial_sq(const float* y, int d, int lane) {
    double s = 0;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            double v = y[j];
            s += v * v;
        }
    }
    return warp_sum(s);
}

// Lorentz.acosh and acoshGrad.
__device__ __forceinline__ double acosh_c(double w) {
    double wc = jmax(w, ACOSH_MIN);
    return log(wc + sqrt(jmax(wc * wc - 1, SQRT_MIN)));
}
__device__ __forceinline__ double acosh_grad(double w) {
    double wc = jmax(w, ACOSH_MIN);
    return 1.0 / sqrt(jmax(wc * wc - 1, SQRT_MIN));
}

// Lorentz.asinhRatio and asinhRatioSlopeOverN.
__device__ __forceinline__ double asinh_ratio(double n) {
    if (n < 1e-3) {
        double n2 = n * n;
        return 1 - n2 / 6 + 3 * n2 * n2 / 40;
    }
    return log(n + sqrt(1 + n * n)) / n;
}
__device__ __forceinline__ double asinh_ratio_slope_over_n(double n) {
    if (n < 1e-2) {
        double n2 = n * n;
        return -1.0 / 3 + 0.3 * n2 - 15.0 / 56 * n2 * n2;
    }
    return (n / sqrt(1 + n * n) - log(n + sqrt(1 + n * n))) / (n * n * n);
}

// One warp per row; the whole warp leaves together, so shuffles always see 32 lanes.
#define ROW_WARP(rows)                                                                      \
    const int lane = threadIdx.x & 31;                                                      \
    const long long row = (long long) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);  \
    if (row >= (rows)) return;

// dst += src over n values.
extern "C" __global__ void hr_add(long long n, const float* src, float* dst) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        dst[i] = dst[i] + src[i];
    }
}

// dst = src with the space coordinates negated (a' of CpuKernels: a'.b = -<a,b>_L).
extern "C" __global__ void hr_flip_space(long long n, int d, const float* src, float* dst) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        dst[i] = i % d == 0 ? src[i] : -src[i];
    }
}

// dst[r][c] = src[r][c] * scale[r].
extern "C" __global__ void hr_scale_rows(
        long long n, int d, const float* src, const float* scale, float* dst) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        dst[i] = src[i] * scale[i / d];
    }
}

// out = A x for a CSR matrix A (ReferenceKernels.spmmRows): float sums in the order of the row.
extern "C" __global__ void hr_spmm(
        int rows, int d, const int* ptr, const int* col, const float* val, const float* x,
        float* out) {
    ROW_WARP(rows)
    const int from = ptr[row];
    const int to = ptr[row + 1];
    float* o = out + (size_t) row * d;
    for (int j = lane; j < d; j += 32) {
        float acc = 0.f;
        for (int k = from; k < to; k++) {
            acc = acc + val[k] * x[(size_t) col[k] * d + j];
        }
        o[j] = acc;
    }
}

// t = logmap0(y) (Lorentz.logmap0); t may alias y.
extern "C" __global__ void hr_logmap0(int rows, int d, const float* y, float* t) {
    ROW_WARP(rows)
    const float* yr = y + (size_t) row * d;
    float* tr = t + (size_t) row * d;
    double s = asinh_ratio(sqrt(spatial_sq(yr, d, lane)));
    for (int j = lane; j < d; j += 32) {
        tr[j] = j == 0 ? 0.f : (float) (s * yr[j]);
    }
}

// gy += J(y)^T gt (Lorentz.logmap0Backward); y0 gets nothing.
extern "C" __global__ void hr_logmap0_backward(
        int rows, int d, const float* y, const float* gt, float* gy) {
    ROW_WARP(rows)
    const float* yr = y + (size_t) row * d;
    const float* gtr = gt + (size_t) row * d;
    float* gyr = gy + (size_t) row * d;
    double n = sqrt(spatial_sq(yr, d, lane));
    double s = asinh_ratio(n);
    double c = asinh_ratio_slope_over_n(n);
    double dot = 0;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            dot += (double) gtr[j] * yr[j];
        }
    }
    double cd = c * warp_sum(dot);
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            gyr[j] = (float) (gyr[j] + s * gtr[j] + cd * yr[j]);
        }
    }
}

// h = expmap0(u) followed by project (Lorentz.expmap0); h may alias u.
extern "C" __global__ void hr_expmap0(int rows, int d, const float* u, float* h) {
    ROW_WARP(rows)
    const float* ur = u + (size_t) row * d;
    float* hr = h + (size_t) row * d;
    double n = sqrt(jmax(minkowski(ur, ur, d, lane), SQRT_MIN));
    double s = sinh(jmin(n, MAX_NORM)) / n;
    double sq = 0;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            double v = s * ur[j];
            hr[j] = (float) v;
            sq += v * v;
        }
    }
    sq = warp_sum(sq);
    if (lane == 0) {
        hr[0] = (float) sqrt(1 + sq);
    }
}

// gu = J(u)^T gh, overwritten (Lorentz.expmap0Backward).
extern "C" __global__ void hr_expmap0_backward(
        int rows, int d, const float* u, const float* h, const float* gh, float* gu) {
    ROW_WARP(rows)
    const float* ur = u + (size_t) row * d;
    const float* hr = h + (size_t) row * d;
    const float* ghr = gh + (size_t) row * d;
    float* gur = gu + (size_t) row * d;
    double q = minkowski(ur, ur, d, lane);
    double leak = q >= SQRT_MIN ? 1.0 : LEAK;
    double n = sqrt(jmax(q, SQRT_MIN));
    double a;
    double da;
    if (n <= MAX_NORM) {
        double sh = sinh(n);
        a = sh / n;
        da = (n * cosh(n) - sh) / (n * n);
    } else {
        a = SINH_MAX / n;
        da = -SINH_MAX / (n * n);
    }
    double h0 = hr[0];
    double g0 = ghr[0];
    double dot = 0;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            double gp = ghr[j] + g0 * hr[j] / h0;
            dot += gp * ur[j];
            gur[j] = (float) (a * gp);
        }
    }
    double c = warp_sum(dot) * da * leak / n;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            gur[j] = (float) (gur[j] + c * ur[j]);
        }
    }
    if (lane == 0) {
        gur[0] = (float) (-c * ur[0]);
    }
}

// One Riemannian SGD step per row (ReferenceKernels.rsgdRows). g is clobbered: it holds the
// Riemannian gradient, then the step u, then the new point y, each element by its own lane.
extern "C" __global__ void hr_rsgd(
        int rows, int d, float* x, float* g, float* b, int first, float lr, float mu, float wd) {
    ROW_WARP(rows)
    float* xr = x + (size_t) row * d;
    float* gr = g + (size_t) row * d;
    float* br = b + (size_t) row * d;
    for (int j = lane; j < d; j += 32) {
        float gj = gr[j];
        if (first) {
            br[j] = gj;
        }
        gj = gj + wd * xr[j];
        gr[j] = j == 0 ? -gj : gj;  // egradToRgrad: negate the time component ...
    }
    double c = minkowski(xr, gr, d, lane);  // ... then add <x,g>_L x
    for (int j = lane; j < d; j += 32) {
        float gj = (float) (gr[j] + c * xr[j]);
        float bj = mu * br[j] + gj;
        br[j] = bj;
        gr[j] = -lr * bj;
    }
    // Lorentz.expmap(x, u): u += <x,u>_L x, then cosh(n) x + sinh(n) u / n, then project.
    double xu = minkowski(xr, gr, d, lane);
    for (int j = lane; j < d; j += 32) {
        gr[j] = (float) (gr[j] + xu * xr[j]);
    }
    double n = sqrt(jmax(minkowski(gr, gr, d, lane), SQRT_MIN));
    double nc = jmin(n, MAX_NORM);
    double ch = nc == MAX_NORM ? COSH_MAX : cosh(nc);
    double sh = (nc == MAX_NORM ? SINH_MAX : sinh(nc)) / n;
    double sq = 0;
    for (int j = lane; j < d; j += 32) {
        if (j > 0) {
            float yj = (float) (ch * xr[j] + sh * gr[j]);
            gr[j] = yj;
            sq += (double) yj * yj;
        }
    }
    sq = warp_sum(sq);
    if (lane == 0) {
        gr[0] = (float) sqrt(1 + sq);
    }
    // Lorentz.transport(x, y, buf), then x = y.
    double yb = minkowski(gr, br, d, lane);
    double xy = minkowski(xr, gr, d, lane);
    double ct = yb / jmax(1 - xy, TRANSPORT_MIN);
    for (int j = lane; j < d; j += 32) {
        br[j] = (float) (br[j] + ct * ((double) xr[j] + gr[j]));
        xr[j] = gr[j];
    }
}

// Margin loss over the triples, one warp per triple (ReferenceKernels.marginLoss). Writes each
// block's loss to blockLoss[blockIdx.x] (the host adds them in order). Without coef, adds the
// gradient to gh with atomics (fast, summation order not fixed); with coef, writes the triple's
// coefficients (cp, cn), 0 for an inactive triple, for hr_margin_gather.
extern "C" __global__ void hr_margin(
        int count, int d, const float* h, const int* anc, const int* pos, const int* neg,
        float margin, float* gh, double* coef, double* blockLoss) {
    __shared__ double warpLoss[32];
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const long long e = (long long) blockIdx.x * (blockDim.x >> 5) + warp;
    double loss = 0;
    if (e < count) {
        const int a = anc[e];
        const int p = pos[e];
        const int ng = neg[e];
        const float* ha = h + (size_t) a * d;
        const float* hp = h + (size_t) p * d;
        const float* hn = h + (size_t) ng * d;
        double wp = -minkowski(ha, hp, d, lane);
        double wn = -minkowski(ha, hn, d, lane);
        double rp = acosh_c(wp);
        double rn = acosh_c(wn);
        double l = rp * rp - rn * rn + margin;
        double cp = 0;
        double cn = 0;
        if (!(l < 0)) {
            loss = l;
            cp = 2 * rp * acosh_grad(wp);
            cn = -2 * rn * acosh_grad(wn);
            if (coef == nullptr) {
                for (int j = lane; j < d; j += 32) {
                    double sgn = j == 0 ? 1 : -1;
                    atomicAdd(gh + (size_t) a * d + j, (float) (sgn * (cp * hp[j] + cn * hn[j])));
                    atomicAdd(gh + (size_t) p * d + j, (float) (sgn * cp * ha[j]));
                    atomicAdd(gh + (size_t) ng * d + j, (float) (sgn * cn * ha[j]));
                }
            }
        }
        if (coef != nullptr && lane == 0) {
            coef[2 * e] = cp;
            coef[2 * e + 1] = cn;
        }
    }
    if (lane == 0) {
        warpLoss[warp] = loss;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double s = 0;
        for (int w = 0; w < (blockDim.x >> 5); w++) {
            s += warpLoss[w];
        }
        blockLoss[blockIdx.x] = s;
    }
}

// The deterministic gradient of hr_margin: one warp per touched row of gh, adding the row's
// contributions in the reference's order. entries[entryPtr[i] .. entryPtr[i+1]) are 3*e + role
// (0 anchor, 1 positive, 2 negative) sorted ascending, for the row rowIds[i].
extern "C" __global__ void hr_margin_gather(
        int touched, int d, const int* rowIds, const int* entryPtr, const int* entries,
        const float* h, const int* anc, const int* pos, const int* neg, const double* coef,
        float* gh) {
    ROW_WARP(touched)
    float* g = gh + (size_t) rowIds[row] * d;
    for (int q = entryPtr[row]; q < entryPtr[row + 1]; q++) {
        const int ent = entries[q];
        const int e = ent / 3;
        const int role = ent - 3 * e;
        const double cp = coef[2 * e];
        const double cn = coef[2 * e + 1];
        if (cp == 0) {
            continue;  // an inactive triple (cp > 0, or NaN, for every active one)
        }
        const float* ha = h + (size_t) anc[e] * d;
        const float* hp = h + (size_t) pos[e] * d;
        const float* hn = h + (size_t) neg[e] * d;
        for (int j = lane; j < d; j += 32) {
            double sgn = j == 0 ? 1 : -1;
            double v = role == 0   ? sgn * (cp * hp[j] + cn * hn[j])
                       : role == 1 ? sgn * cp * ha[j]
                                   : sgn * cn * ha[j];
            g[j] = g[j] + (float) v;
        }
    }
}

// The fused pass of the contrastive loss over one block of rows of products w (CpuKernels): one
// thread block per row r overwrites w_rj with F_rj = e_rj * 2 arcosh(w_rj) / z_rj, where e_rj =
// exp(-arcosh(w_rj)^2 / tau) and z_rj = sqrt(max(w_rj^2 - 1, 1e-9)), and writes the row's loss
// (to rowLoss[base + r]), softmax scale -c / sum_j e_rj and diagonal weight.
extern "C" __global__ void hr_contrastive_rows(
        int rows, int n, int base, float* w, float negInvTau, float tau, float c, double* rowLoss,
        float* rowScale, double* diagWeight) {
    __shared__ double part[32];
    __shared__ float wiiShared;
    const int r = blockIdx.x;
    if (r >= rows) {
        return;
    }
    float* wr = w + (size_t) r * n;
    if (threadIdx.x == 0) {
        wiiShared = wr[base + r];
    }
    __syncthreads();
    double sum = 0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        float x = wr[j];
        float wc = jmaxf(x, ACOSH_MIN_F);
        float z = sqrtf(jmaxf(wc * wc - 1.0f, SQRT_MIN_F));
        float rr = logf(wc + z);
        float e = expf(rr * rr * negInvTau);
        sum += e;
        wr[j] = e * rr * 2.0f / z;
    }
    sum = warp_sum(sum);
    if ((threadIdx.x & 31) == 0) {
        part[threadIdx.x >> 5] = sum;
    }
    __syncthreads();
    if (threadIdx.x < 32) {
        double s = threadIdx.x < (blockDim.x >> 5) ? part[threadIdx.x] : 0;
        s = warp_sum(s);
        if (threadIdx.x == 0) {
            double wii = wiiShared;
            double rii = acosh_c(wii);
            rowLoss[base + r] = rii * rii / tau + log(s);
            rowScale[r] = (float) (-c / s);
            diagWeight[r] = c * 2 * rii * acosh_grad(wii);
        }
    }
}

// The per-element end of a contrastive block: ga_i += s_i (F b)_i + d_i b_i with the time sign
// flip, and the diagonal term of gb_i, d_i a'_i (CpuKernels.contrastiveLoss).
extern "C" __global__ void hr_contrastive_finish(
        int rows, int d, int base, const float* blockGrad, const float* rowScale,
        const double* diagWeight, const float* a, const float* b, float* ga, float* gb) {
    long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long) rows * d) {
        return;
    }
    const int r = (int) (i / d);
    const int col = (int) (i - (long long) r * d);
    const size_t gi = (size_t) (base + r) * d + col;
    const double dw = diagWeight[r];
    double v = (double) (rowScale[r] * blockGrad[i]) + dw * b[gi];
    ga[gi] = ga[gi] + (float) (col == 0 ? v : -v);
    double ap = col == 0 ? (double) a[gi] : -(double) a[gi];
    gb[gi] = gb[gi] + (float) (dw * ap);
}

// Marks the excluded items of each row of products w with NaN, which hr_topk skips (as TopKHeap
// skips NaN scores). The rows are rows firstRow.. of the CSR exclusion matrix (ptr, cols).
extern "C" __global__ void hr_mask(
        int rows, int ni, const int* ptr, const int* cols, int firstRow, float* w) {
    ROW_WARP(rows)
    const float nan = __int_as_float(0x7fc00000);
    for (int q = ptr[firstRow + row] + lane; q < ptr[firstRow + row + 1]; q += 32) {
        const int i = cols[q];
        if (i >= 0 && i < ni) {
            w[(size_t) row * ni + i] = nan;
        }
    }
}

// (valid, key, item) ordering of the top-k merge: valid first, then higher key, then lower item.
__device__ __forceinline__ bool better(bool v1, float k1, int i1, bool v2, float k2, int i2) {
    if (v1 != v2) {
        return v1;
    }
    if (!v1) {
        return false;
    }
    if (k1 != k2) {
        return k1 > k2;
    }
    return i1 < i2;
}

// Top-k per row of products w by key -w (larger is nearer), best first, ties to the lower item;
// NaN (excluded) skipped; fewer than k candidates padded with item -1 and key -inf. One warp per
// row: each lane keeps its own sorted best k in scratch (as TopKHeap.offer), then the warp merges
// the 32 lists k times by a shuffle arg-max.
extern "C" __global__ void hr_topk(
        int rows, int ni, int k, const float* w, float* scratchKey, int* scratchItem,
        float* outKey, int* outItem) {
    ROW_WARP(rows)
    const float* wr = w + (size_t) row * ni;
    float* keys = scratchKey + ((size_t) row * 32 + lane) * k;
    int* items = scratchItem + ((size_t) row * 32 + lane) * k;
    int size = 0;
    for (int i = lane; i < ni; i += 32) {
        const float key = -wr[i];
        if (key != key) {
            continue;
        }
        if (size == k && !(key > keys[k - 1])) {
            continue;
        }
        int p = size < k ? size++ : k - 1;
        while (p > 0 && (keys[p - 1] < key || (keys[p - 1] == key && items[p - 1] > i))) {
            keys[p] = keys[p - 1];
            items[p] = items[p - 1];
            p--;
        }
        keys[p] = key;
        items[p] = i;
    }
    int head = 0;
    for (int q = 0; q < k; q++) {
        bool bv = head < size;
        float bk = bv ? keys[head] : 0.f;
        int bi = bv ? items[head] : 0x7fffffff;
        int bl = lane;
        for (int o = 16; o > 0; o >>= 1) {
            const bool ov = __shfl_xor_sync(FULL_MASK, (int) bv, o) != 0;
            const float ok = __shfl_xor_sync(FULL_MASK, bk, o);
            const int oi = __shfl_xor_sync(FULL_MASK, bi, o);
            const int ol = __shfl_xor_sync(FULL_MASK, bl, o);
            if (better(ov, ok, oi, bv, bk, bi)) {
                bv = ov;
                bk = ok;
                bi = oi;
                bl = ol;
            }
        }
        if (bv && lane == bl) {
            head++;
        }
        if (lane == 0) {
            outKey[(size_t) row * k + q] = bv ? bk : -__int_as_float(0x7f800000);
            outItem[(size_t) row * k + q] = bv ? bi : -1;
        }
    }
}
