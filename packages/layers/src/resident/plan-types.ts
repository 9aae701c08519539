/**
 * The resident step's plan (plan.ts): the operations, loss and metrics it computes and the
 * targets it reads. The living description is docs/resident-step.md.
 */

/** How the trainer encodes targets (one-hot rows, class ids, 0/1, or values). */
export type TargetKind = 'one-hot' | 'sparse' | 'binary' | 'regression';

/** One planned operation over [rows, width] activations; `from` lists its inputs (ops; -1 the model input). */
export type PlannedOp = (
  | {
      kind: 'dense';
      layer: string;
      /** Store names of the weights. */
      kernel: string;
      bias: string | null;
      inputs: number;
      units: number;
      /** Activation code applied in the GEMM's epilogue (linear, relu, relu6, leaky). */
      act: number;
      alpha: number;
    }
  | { kind: 'activation'; layer: string; act: number; alpha: number; width: number }
  | { kind: 'softmax'; layer: string; log: boolean; width: number }
  | { kind: 'dropout'; layer: string; rate: number; width: number }
  /** Max over groups of `pieces` consecutive inputs: `units · pieces` in, `width` = `units` out. */
  | { kind: 'maxout'; layer: string; units: number; pieces: number; width: number }
  | { kind: 'add'; layer: string; width: number }
  | { kind: 'concat'; layer: string; widths: number[]; width: number }
) & { from: number[] };

/** The loss of the last output, as the resident step computes it. */
export type PlannedLoss =
  | { kind: 'crossentropy'; sparse: boolean; epsilon: number }
  | { kind: 'binary_crossentropy'; epsilon: number }
  | { kind: 'mse' }
  | { kind: 'mae' };

export type PlannedMetric =
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'binary_accuracy'
  | 'mse'
  | 'mae';

/** A model the resident step can train. */
export interface ResidentPlan {
  /** Values per input example (its shape flattened). */
  features: number;
  ops: PlannedOp[];
  /** Width of the model's output. */
  outputs: number;
  /** Values per target row the step reads (classes for one-hot, 1 for ids and binary). */
  targetWidth: number;
  loss: PlannedLoss;
  metrics: PlannedMetric[];
  /** Widest activation, for scratch sizing. */
  maxWidth: number;
}

/** What planning found: a plan, or why the model trains on the tfjs path. */
export type PlanOutcome =
  | { plan: ResidentPlan; reason?: undefined }
  | { plan?: undefined; reason: string };
