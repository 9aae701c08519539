// The resident training step's update kernels (src/resident/): summing gradient slots in
// worker order and Adam, reading one copy of the state and writing the other.
// No function here allocates or keeps state between calls; the caller owns every byte it
// points to.

/**
 * dst[i] = g_0[i] + g_1[i] + … + g_{count-1}[i] for i in [0, n), in that order, in
 * float32: the gradient slots (each `strideBytes` after the previous) summed in fixed
 * worker order, whatever order the workers finished in. dst may be g_0.
 */
export function sumSlots(dst: usize, first: usize, strideBytes: usize, count: i32, n: i32): void {
  if (count === 1) {
    if (dst !== first) memory.copy(dst, first, (<usize>n) << 2);
    return;
  }
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    let acc = v128.load(first + o);
    for (let k = 1; k < count; k++)
      acc = f32x4.add(acc, v128.load(first + <usize>k * strideBytes + o));
    v128.store(dst + o, acc);
  }
  for (let i = quads; i < n; i++) {
    const o = (<usize>i) << 2;
    let acc = load<f32>(first + o);
    for (let k = 1; k < count; k++) acc += load<f32>(first + <usize>k * strideBytes + o);
    store<f32>(dst + o, acc);
  }
}

/**
 * Adam over n elements whose gradient is the sum of `count` slots (see sumSlots), in one
 * pass: each group of four gradients is summed in slot order, then m, v (and AMSGrad's
 * v̂ when vhat != 0) and the weights are updated, in float32 arithmetic as Keras and
 * PyTorch do (the tfjs path's `adam` computes in float64, so the two differ in the last
 * bit). With decay != 0, w ← w − w·decay first.
 *   m ← m + (g − m)·c1,  v ← v + (g² − v)·c2,  w ← w − m·alpha / (sqrt(v or v̂) + eps)
 */
export function adamSlots(
  p: usize,
  first: usize,
  strideBytes: usize,
  count: i32,
  m: usize,
  v: usize,
  vhat: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  // biome-ignore format: the kernel's argument list
  adamStep(p, p, first, strideBytes, count, m, m, v, v, vhat, vhat, n, alpha, c1, c2, eps, decay);
}

/**
 * Adam as adamSlots over one gradient (`g`), reading the weights and state at `pIn`,
 * `mIn`, `vIn` (`vhatIn`) and writing them at `pOut`, `mOut`, `vOut` (`vhatOut`): the
 * resident step's update from one copy of the training state to the other, so the copy
 * it read stays as it was until the step is complete. In and out may be the same.
 */
export function adamMoved(
  pIn: usize,
  pOut: usize,
  g: usize,
  mIn: usize,
  mOut: usize,
  vIn: usize,
  vOut: usize,
  vhatIn: usize,
  vhatOut: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  // biome-ignore format: the kernel's argument list
  adamStep(pIn, pOut, g, 0, 1, mIn, mOut, vIn, vOut, vhatIn, vhatOut, n, alpha, c1, c2, eps, decay);
}

function adamStep(
  pIn: usize,
  pOut: usize,
  first: usize,
  strideBytes: usize,
  count: i32,
  mIn: usize,
  mOut: usize,
  vIn: usize,
  vOut: usize,
  vhatIn: usize,
  vhatOut: usize,
  n: i32,
  alpha: f32,
  c1: f32,
  c2: f32,
  eps: f32,
  decay: f32,
): void {
  const A = f32x4.splat(alpha);
  const C1 = f32x4.splat(c1);
  const C2 = f32x4.splat(c2);
  const E = f32x4.splat(eps);
  const D = f32x4.splat(decay);
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const o = (<usize>i) << 2;
    let g = v128.load(first + o);
    for (let k = 1; k < count; k++) g = f32x4.add(g, v128.load(first + <usize>k * strideBytes + o));
    let w = v128.load(pIn + o);
    if (decay !== 0) w = f32x4.sub(w, f32x4.mul(w, D));
    const mi = v128.load(mIn + o);
    const vi = v128.load(vIn + o);
    const mNew = f32x4.add(mi, f32x4.mul(f32x4.sub(g, mi), C1));
    const vNew = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(g, g), vi), C2));
    let base = vNew;
    if (vhatIn !== 0) {
      base = f32x4.max(v128.load(vhatIn + o), vNew);
      v128.store(vhatOut + o, base);
    }
    v128.store(mOut + o, mNew);
    v128.store(vOut + o, vNew);
    v128.store(
      pOut + o,
      f32x4.sub(w, f32x4.div(f32x4.mul(mNew, A), f32x4.add(f32x4.sqrt(base), E))),
    );
  }
  for (let i = quads; i < n; i++) {
    const o = (<usize>i) << 2;
    let g = load<f32>(first + o);
    for (let k = 1; k < count; k++) g += load<f32>(first + <usize>k * strideBytes + o);
    let w = load<f32>(pIn + o);
    if (decay !== 0) w -= w * decay;
    const mi = load<f32>(mIn + o);
    const vi = load<f32>(vIn + o);
    const mNew = mi + (g - mi) * c1;
    const vNew = vi + (g * g - vi) * c2;
    let base = vNew;
    if (vhatIn !== 0) {
      base = Mathf.max(load<f32>(vhatIn + o), vNew);
      store<f32>(vhatOut + o, base);
    }
    store<f32>(mOut + o, mNew);
    store<f32>(vOut + o, vNew);
    store<f32>(pOut + o, w - (mNew * alpha) / (Mathf.sqrt(base) + eps));
  }
}

/**
 * Moments smaller than this in magnitude are set to 0 by floorMoments. A parameter whose
 * gradient stays 0 for a while (an MNIST pixel blank in batch after batch) has its first
 * moment multiplied by β1 = 0.9 every step, and after about 700 steps it falls below
 * float32's smallest normal number (1.18e-38). Arithmetic that reads or produces such
 * subnormal numbers takes this machine's AMD cores several times as long: adamMoved over
 * 50,000 parameters, 5% of whose first moments were subnormal, took 73 µs instead of 35,
 * and on MNIST every step's update got that slow from the second epoch on.
 *
 * A moment under the floor changes no weight: the update it makes, m·alpha / (√v + eps),
 * is under 1e-25 · alpha / eps — 1e-21 at the defaults (alpha ≈ 1e-3, eps = 1e-7),
 * against a last bit of 1e-9 for a weight of 0.01. Set to 0 every 32 steps (the caller's
 * period), a first moment stays above 1e-25 · 0.9^32 ≈ 3e-27 between (β1 = 0.9; the
 * second moment shrinks far slower), so that every product in the update — the smallest
 * is a moment times alpha — stays normal for any alpha over 1e-11.
 * TensorFlow's CPU kernels, which Keras runs on, flush every subnormal number to zero.
 */
const MOMENT_FLOOR: f32 = 1e-25;

/**
 * x[i] ← 0 for i in [0, n) where |x[i]| < MOMENT_FLOOR (NaN and infinities kept): Adam's
 * moments, every few steps (see MOMENT_FLOOR), in place.
 */
export function floorMoments(x: usize, n: i32): void {
  const floor = f32x4.splat(MOMENT_FLOOR);
  const quads = n & ~3;
  for (let i = 0; i < quads; i += 4) {
    const at = x + ((<usize>i) << 2);
    const v = v128.load(at);
    v128.store(at, v128.andnot(v, f32x4.lt(f32x4.abs(v), floor)));
  }
  for (let i = quads; i < n; i++) {
    const at = x + ((<usize>i) << 2);
    if (Mathf.abs(load<f32>(at)) < MOMENT_FLOOR) store<f32>(at, 0);
  }
}
