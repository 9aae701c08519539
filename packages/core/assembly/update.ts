// Optimizer update rules over float32 arrays in linear memory, two elements per step in
// f64x2: each element is loaded as float32, computed in float64 and stored as float32,
// exactly as the JavaScript loop of src/kernels/update-kernels.ts does it. IEEE float64
// arithmetic (add, sub, mul, div, sqrt, max) is correctly rounded in both, so the results
// are bitwise the same; SIMD only computes two of them at a time.
//
// The caller (src/kernels/update-kernels.ts) copies a chunk of each array into the
// module's memory (after `heapBase()`), calls `adam`, and copies the updated chunks back.
// index.ts re-exports `adam`, so both GEMM builds carry it.

/** Two float32 values at `at`, widened to float64. */
function load2(at: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(at));
}

/** Stores two float64 values at `at` as float32. */
function store2(at: usize, v: v128): void {
  v128.store64_lane(at, f32x4.demote_f64x2_zero(v), 0);
}

/**
 * Adam over n elements: params p, gradients g, moments m and v, and (vhat != 0) the
 * running maximum of v for AMSGrad. With decay != 0, w ← w - w·decay first.
 *   m ← m + (g - m)·c1,  v ← v + (g² - v)·c2,  w ← w - m·alpha / (sqrt(v or vhat) + eps)
 */
export function adam(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  vhat: usize,
  n: i32,
  alpha: f64,
  c1: f64,
  c2: f64,
  eps: f64,
  decay: f64,
): void {
  const A = f64x2.splat(alpha);
  const C1 = f64x2.splat(c1);
  const C2 = f64x2.splat(c2);
  const E = f64x2.splat(eps);
  const D = f64x2.splat(decay);
  const pairs = n & ~1;
  for (let i = 0; i < pairs; i += 2) {
    const o = (<usize>i) << 2;
    let w = load2(p + o);
    if (decay !== 0) w = f64x2.sub(w, f64x2.mul(w, D));
    const gi = load2(g + o);
    const mi = load2(m + o);
    const vi = load2(v + o);
    const mNew = f64x2.add(mi, f64x2.mul(f64x2.sub(gi, mi), C1));
    const vNew = f64x2.add(vi, f64x2.mul(f64x2.sub(f64x2.mul(gi, gi), vi), C2));
    let denominatorBase = vNew;
    if (vhat !== 0) {
      denominatorBase = f64x2.max(load2(vhat + o), vNew);
      store2(vhat + o, denominatorBase);
    }
    store2(m + o, mNew);
    store2(v + o, vNew);
    const step = f64x2.div(f64x2.mul(mNew, A), f64x2.add(f64x2.sqrt(denominatorBase), E));
    store2(p + o, f64x2.sub(w, step));
  }
  for (let i = pairs; i < n; i++) {
    const o = (<usize>i) << 2;
    let w = <f64>load<f32>(p + o);
    if (decay !== 0) w -= w * decay;
    const gi = <f64>load<f32>(g + o);
    const mi = <f64>load<f32>(m + o);
    const vi = <f64>load<f32>(v + o);
    const mNew = mi + (gi - mi) * c1;
    const vNew = vi + (gi * gi - vi) * c2;
    let denominatorBase = vNew;
    if (vhat !== 0) {
      denominatorBase = Math.max(<f64>load<f32>(vhat + o), vNew);
      store<f32>(vhat + o, <f32>denominatorBase);
    }
    store<f32>(m + o, <f32>mNew);
    store<f32>(v + o, <f32>vNew);
    store<f32>(p + o, <f32>(w - (mNew * alpha) / (Math.sqrt(denominatorBase) + eps)));
  }
}
