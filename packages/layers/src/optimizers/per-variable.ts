/**
 * The options that act per variable rather than per element: `clipnorm` (each variable's
 * gradient scaled so its L2 norm is at most clipnorm, Keras's `clip_by_norm`) and
 * `excludeFromWeightDecay` (variables whose name matches a pattern get no decay). Both need
 * to know where each variable lies in the flat vector: `UpdateArgs.variables`.
 */
import { received, ValueError } from '@tessera/core';

/** Where one variable lies in the flat parameter vector: [start, end). */
export interface VariableRange {
  /** The weight's full name (`dense/kernel`), matched by `excludeFromWeightDecay`. */
  name: string;
  start: number;
  end: number;
}

/** The `excludeFromWeightDecay` option: regular expressions searched in variable names. */
export function excludePatterns(owner: string, value: unknown): RegExp[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ValueError(
      received(
        `${owner}: excludeFromWeightDecay must be a list of names or regular expressions`,
        'excludeFromWeightDecay',
        value,
      ),
    );
  }
  return value.map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch {
      throw new ValueError(
        received(
          `${owner}: excludeFromWeightDecay holds an invalid regular expression`,
          'pattern',
          pattern,
        ),
      );
    }
  });
}

/**
 * Writes `grads` over [start, end) into `out`, each variable's part scaled by
 * `clipnorm / max(norm, clipnorm)` where norm is the L2 norm of the variable's whole
 * gradient: `norms[i]` when given, else taken over its full range of `grads`, whichever
 * slice is being updated.
 */
export function clipByNorm(
  grads: Float32Array,
  out: Float32Array,
  variables: readonly VariableRange[],
  clipnorm: number,
  start: number,
  end: number,
  norms?: ArrayLike<number>,
): void {
  for (let k = 0; k < variables.length; k++) {
    const v = variables[k]!;
    const from = Math.max(start, v.start);
    const to = Math.min(end, v.end);
    if (from >= to) continue;
    let norm = norms?.[k];
    if (norm === undefined) {
      let squares = 0;
      for (let i = v.start; i < v.end; i++) squares += grads[i]! * grads[i]!;
      norm = Math.sqrt(squares);
    }
    const scale = clipnorm / Math.max(norm, clipnorm);
    for (let i = from; i < to; i++) out[i] = grads[i]! * scale;
  }
}

/**
 * Decoupled weight decay `w ← w - w·decay` over [start, end), skipping variables whose
 * name matches one of `patterns` (Keras: `re.search(pattern, name)`).
 */
export function decayExcept(
  params: Float32Array,
  variables: readonly VariableRange[],
  patterns: readonly RegExp[],
  decay: number,
  start: number,
  end: number,
): void {
  for (const v of variables) {
    if (patterns.some((p) => p.test(v.name))) continue;
    const from = Math.max(start, v.start);
    const to = Math.min(end, v.end);
    for (let i = from; i < to; i++) params[i] = params[i]! - params[i]! * decay;
  }
}
