// Activation codes and the scalar post-pass for activations that are not done in the
// SIMD epilogue. The codes are shared with src/kernels/activation.ts.

/** No activation. */
export const ACT_LINEAR: i32 = 0;
/** max(x, 0). */
export const ACT_RELU: i32 = 1;
/** min(max(x, 0), 6). */
export const ACT_RELU6: i32 = 2;
/** x < 0 ? alpha * x : x. */
export const ACT_LEAKYRELU: i32 = 3;
/** x < 0 ? w[column] * x : x, one weight per output column. */
export const ACT_PRELU: i32 = 4;
/** x >= 0 ? x : exp(x) - 1. */
export const ACT_ELU: i32 = 5;
/** 1 / (1 + exp(-x)). */
export const ACT_SIGMOID: i32 = 6;
// The codes below are used by the resident step's elementwise kernels (resident-elementwise.ts) only.
/** tanh(x). */
export const ACT_TANH: i32 = 7;
/** Scaled ELU with the self-normalising constants. */
export const ACT_SELU: i32 = 8;
/** log(1 + exp(x)). */
export const ACT_SOFTPLUS: i32 = 9;
/** x / (1 + |x|). */
export const ACT_SOFTSIGN: i32 = 10;
/** x · sigmoid(x) (silu). */
export const ACT_SWISH: i32 = 11;
/** 0.5 x (1 + erf(x / √2)). */
export const ACT_GELU: i32 = 12;
/** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
export const ACT_GELU_TANH: i32 = 13;
/** x · tanh(softplus(x)). */
export const ACT_MISH: i32 = 14;
/** exp(x). */
export const ACT_EXPONENTIAL: i32 = 15;
/** clip(x / 6 + 0.5, 0, 1). */
export const ACT_HARD_SIGMOID: i32 = 16;

/** Whether the SIMD epilogue of a tile applies `act` itself (otherwise a post-pass does). */
export function inEpilogue(act: i32): bool {
  return act <= ACT_LEAKYRELU;
}

/**
 * Applies ELU, sigmoid or per-column PReLU in place to an m×n row-major matrix. These
 * need exp() or a weight per column, so they run once over the finished output instead of
 * inside the tile loop. exp() is evaluated in double precision, like tfjs's cpu kernels.
 */
export function postActivate(c: usize, m: i32, n: i32, act: i32, weights: usize): void {
  const total = <usize>m * <usize>n;
  if (act === ACT_ELU) {
    for (let i: usize = 0; i < total; i++) {
      const p = c + (i << 2);
      const x = load<f32>(p);
      if (!(x >= 0)) store<f32>(p, <f32>(Math.exp(<f64>x) - 1.0));
    }
  } else if (act === ACT_SIGMOID) {
    for (let i: usize = 0; i < total; i++) {
      const p = c + (i << 2);
      const x = load<f32>(p);
      store<f32>(p, <f32>(1.0 / (1.0 + Math.exp(-(<f64>x)))));
    }
  } else if (act === ACT_PRELU) {
    for (let i = 0; i < m; i++) {
      const row = c + ((<usize>i * <usize>n) << 2);
      for (let j = 0; j < n; j++) {
        const p = row + ((<usize>j) << 2);
        const x = load<f32>(p);
        if (x < 0) store<f32>(p, x * load<f32>(weights + ((<usize>j) << 2)));
      }
    }
  }
}
