/**
 * The resident training step: runs a plan (plan.ts) over one WebAssembly memory that
 * holds the weights, the gradient slot being written and this step's own scratch, with
 * core's resident kernels. No tensors, no tape, no operand copies, and — once the first
 * step has made its views — no allocation per step. The tfjs path (TrainingStep)
 * computes the same gradients; tests hold the two within 1e-5.
 *
 * Scratch layout (byte offsets from `scratch`, each 64-aligned), for `maxRows` examples:
 *   context     the GEMM instance's tile state (ResidentKernels.contextBytes())
 *   input       maxRows × features floats (dense inputs gathered by the caller)
 *   targets     maxRows × targetWidth floats (gathered by the caller)
 *   per op      its output (and a dropout mask) of maxRows × width floats
 *   grad A, B   maxRows × maxWidth floats each: the backward pass ping-pongs between them
 *   work        the largest GEMM workspace of the plan
 *   decoded     8 bytes per input feature: one sparse row's nonzeros, decoded
 *   constants   16 bytes: the kernels' fractional arguments (the input scale)
 */
import {
  type ResidentExports,
  ResidentKernels,
  type RngStream,
  residentWorkspaceBytes,
} from '@tessera/core';
import { lossAndGradient, metricInto } from './loss-math.js';
import type { PlannedOp, ResidentPlan } from './plan.js';

/** Where the first Dense layer's inputs come from. */
export type ResidentInput =
  | {
      /** Compressed rows in the same memory (byte offsets): see core's csrDense. */
      kind: 'sparse';
      rowPtr: number;
      index: number;
      value: number;
      idx16: boolean;
      valU8: boolean;
      scale: number;
    }
  | { kind: 'dense' };

export interface ResidentStepOptions {
  kernels: ResidentKernels;
  /** Byte offset of this step's scratch: `ResidentStep.scratchBytes(…)` bytes. */
  scratch: number;
  /** Most examples one call gets. */
  maxRows: number;
  /** Element offset of a weight (by store name) in the parameter vector and gradient slots. */
  offsetOf: (weight: string) => number;
  input: ResidentInput;
}

const ALIGN = 64;

function align(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** The GEMM shapes of a plan at `rows` rows: forward, weight gradient, input gradient. */
function gemmShapes(plan: ResidentPlan, rows: number): [number, number, number][] {
  const shapes: [number, number, number][] = [];
  for (const op of plan.ops) {
    if (op.kind !== 'dense') continue;
    shapes.push(
      [rows, op.units, op.inputs],
      [op.inputs, op.units, rows],
      [rows, op.inputs, op.units],
    );
  }
  return shapes;
}

function widthOf(op: PlannedOp): number {
  return op.kind === 'dense' ? op.units : op.width;
}

/** Pointers of one op in scratch. */
interface OpBuffers {
  input: number;
  output: number;
  mask: number;
}

/** Where each buffer of a step's scratch starts (see the module comment), and its end. */
function scratchLayout(plan: ResidentPlan, rows: number, scratch: number) {
  let at = scratch + align(ResidentKernels.contextBytes());
  const take = (bytes: number): number => {
    const ptr = at;
    at += align(bytes);
    return ptr;
  };
  const input = take(rows * plan.features * 4);
  const targets = take(rows * plan.targetWidth * 4);
  let previous = input;
  const ops: OpBuffers[] = plan.ops.map((op) => {
    const bytes = rows * widthOf(op) * 4;
    const mask = op.kind === 'dropout' ? take(bytes) : 0;
    const output = take(bytes);
    const b = { input: previous, output, mask };
    previous = output;
    return b;
  });
  const gradA = take(rows * plan.maxWidth * 4);
  const gradB = take(rows * plan.maxWidth * 4);
  const work = take(
    Math.max(64, ...gemmShapes(plan, rows).map(([m, n, k]) => residentWorkspaceBytes(m, n, k))),
  );
  const decoded = take(plan.features * 8);
  const constants = take(16);
  return { input, targets, ops, gradA, gradB, work, decoded, constants, end: at - scratch };
}

/**
 * One planned step (see the module comment).
 *
 * ```ts
 * const step = new ResidentStep(plan, { kernels, scratch, maxRows: 64, offsetOf, input });
 * step.inputView.set(rows);  step.targetView.set(targets);       // dense input
 * step.gradients({ examples, rows: 64, params, grads, scale: 0.5, rng });
 * step.values; // [loss, ...metrics]
 * ```
 */
export class ResidentStep {
  readonly plan: ResidentPlan;
  /** Loss then each metric of the last call. */
  readonly values: Float64Array;
  /** Dense input rows (the caller writes `rows × features` values before a call). */
  readonly inputView: Float32Array;
  /** Target rows (the caller writes them before a call). */
  readonly targetView: Float32Array;
  private readonly k: ResidentExports;
  private readonly f32: Float32Array;
  private readonly input: ResidentInput;
  private readonly maxRows: number;
  private readonly buffers: OpBuffers[];
  private readonly weightOffsets: { kernel: number; bias: number }[];
  private readonly inputPtr: number;
  private readonly targetPtr: number;
  private readonly gradA: number;
  private readonly gradB: number;
  private readonly work: number;
  private readonly decoded: number;
  private readonly constants: number;
  private readonly gradAView: Float32Array;
  private readonly outputView: Float32Array;
  private readonly maskViews: (Float32Array | null)[];
  /** Index of the first Dense op: the backward pass stops there. */
  private readonly firstDense: number;

  /** Scratch bytes a step of `plan` needs for `maxRows` examples. */
  static scratchBytes(plan: ResidentPlan, maxRows: number): number {
    return scratchLayout(plan, Math.max(1, maxRows), 0).end;
  }

  constructor(plan: ResidentPlan, options: ResidentStepOptions) {
    this.plan = plan;
    this.k = options.kernels.raw;
    this.f32 = options.kernels.f32;
    this.input = plan.ops[0]?.kind === 'dense' ? options.input : { kind: 'dense' };
    this.maxRows = Math.max(1, options.maxRows);
    const rows = this.maxRows;
    const layout = scratchLayout(plan, rows, options.scratch);
    this.inputPtr = layout.input;
    this.targetPtr = layout.targets;
    this.buffers = layout.ops;
    this.gradA = layout.gradA;
    this.gradB = layout.gradB;
    this.work = layout.work;
    this.decoded = layout.decoded;
    // Kernel constants live in memory (see core's assembly/resident.ts): [0] the input scale.
    this.constants = layout.constants;
    this.f32[this.constants / 4] = options.input.kind === 'sparse' ? options.input.scale : 1;
    this.weightOffsets = plan.ops.map((op) =>
      op.kind === 'dense'
        ? {
            kernel: options.offsetOf(op.kernel),
            bias: op.bias === null ? -1 : options.offsetOf(op.bias),
          }
        : { kernel: -1, bias: -1 },
    );
    this.firstDense = plan.ops.findIndex((op) => op.kind === 'dense');
    this.values = new Float64Array(1 + plan.metrics.length);
    this.inputView = this.view(this.inputPtr, rows * plan.features);
    this.targetView = this.view(this.targetPtr, rows * plan.targetWidth);
    this.gradAView = this.view(this.gradA, rows * plan.maxWidth);
    const last = this.buffers.at(-1);
    this.outputView = this.view(
      last === undefined ? this.inputPtr : last.output,
      rows * plan.outputs,
    );
    this.maskViews = plan.ops.map((op, i) =>
      op.kind === 'dropout' ? this.view(this.buffers[i]!.mask, rows * op.width) : null,
    );
    // Contexts are per instance: the kernels' context must be the first bytes of scratch.
    options.kernels.raw.useContext(options.scratch);
  }

  private view(ptr: number, floats: number): Float32Array {
    return this.f32.subarray(ptr / 4, ptr / 4 + floats);
  }

  /** Whether the first layer reads compressed rows. */
  get sparseInput(): boolean {
    return this.input.kind === 'sparse';
  }

  private checkRows(rows: number): void {
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= this.maxRows)) {
      throw new RangeError(
        `ResidentStep: rows must be an integer in [1, ${this.maxRows}]. Received: rows=${rows}`,
      );
    }
  }

  /**
   * Forward pass over `rows` examples: `examples` is the byte offset of their i32 row
   * numbers (read when `sparse` and the step has compressed input; otherwise the rows are
   * in `inputView`). With `rng` (training), dropout layers draw their masks from it.
   */
  private forward(
    examples: number,
    rows: number,
    params: number,
    rng: RngStream | undefined,
    sparse: boolean,
  ): void {
    const k = this.k;
    const ops = this.plan.ops;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const b = this.buffers[i]!;
      switch (op.kind) {
        case 'dense': {
          const w = this.weightOffsets[i]!;
          const bias = w.bias < 0 ? 0 : params + w.bias * 4;
          const kernel = params + w.kernel * 4;
          const input = this.input;
          if (i === 0 && sparse && input.kind === 'sparse') {
            // biome-ignore format: the kernel's argument list
            k.csrDense(input.rowPtr, input.index, input.value, input.idx16 ? 1 : 0, input.valU8 ? 1 : 0, this.constants, examples, rows, kernel, bias, b.output, op.units, op.act, op.alpha, this.decoded);
          } else {
            k.gemm(
              b.input,
              kernel,
              b.output,
              rows,
              op.units,
              op.inputs,
              0,
              0,
              bias,
              op.act,
              op.alpha,
              0,
              this.work,
            );
          }
          break;
        }
        case 'activation':
          k.activationForward(op.act, b.input, b.output, rows * op.width, op.alpha);
          break;
        case 'softmax':
          k.softmaxRows(b.input, b.output, rows, op.width, op.log ? 1 : 0);
          break;
        case 'dropout': {
          const mask = this.maskViews[i]!;
          const n = rows * op.width;
          if (rng === undefined) {
            k.copyBytes(b.output, b.input, n * 4);
            break;
          }
          const keep = 1 - op.rate;
          const scale = 1 / keep;
          for (let j = 0; j < n; j++) mask[j] = rng.next() < keep ? scale : 0;
          k.multiply(b.input, b.mask, b.output, n);
          break;
        }
      }
    }
  }

  /** Loss and metrics of the last forward pass into `values`; scale·∂loss/∂output into grad A. */
  private lossAndMetrics(rows: number, scale: number): void {
    const { plan } = this;
    const p = this.outputView;
    const y = this.targetView;
    lossAndGradient(plan.loss, p, y, this.gradAView, rows, plan.outputs, scale, this.values);
    for (let m = 0; m < plan.metrics.length; m++) {
      metricInto(plan.metrics[m]!, p, y, rows, plan.outputs, this.values, 1 + m);
    }
  }

  /**
   * Forward + backward over `rows` examples; writes scale·∂loss/∂w of every weight into
   * the gradient slot at byte offset `grads` (same element offsets as the parameters at
   * `params`), overwriting. Loss and metrics (unscaled) go into `values`.
   */
  gradients(args: {
    examples: number;
    rows: number;
    params: number;
    grads: number;
    scale: number;
    rng: RngStream | undefined;
  }): void {
    const { rows, params, grads } = args;
    this.checkRows(rows);
    this.forward(args.examples, rows, params, args.rng, true);
    this.lossAndMetrics(rows, args.scale);
    const k = this.k;
    const ops = this.plan.ops;
    let g = this.gradA;
    let other = this.gradB;
    for (let i = ops.length - 1; i >= this.firstDense; i--) {
      const op = ops[i]!;
      const b = this.buffers[i]!;
      switch (op.kind) {
        case 'softmax':
          k.softmaxRowsBackward(b.output, g, g, rows, op.width, op.log ? 1 : 0);
          break;
        case 'activation':
          k.activationBackward(op.act, b.input, b.output, g, g, rows * op.width, op.alpha);
          break;
        case 'dropout':
          k.multiply(g, b.mask, g, rows * op.width);
          break;
        case 'dense': {
          const w = this.weightOffsets[i]!;
          if (op.act !== 0)
            k.activationBackward(op.act, b.output, b.output, g, g, rows * op.units, op.alpha);
          const dw = grads + w.kernel * 4;
          const input = this.input;
          if (i === 0 && input.kind === 'sparse') {
            // biome-ignore format: the kernel's argument list
            k.csrDenseWeightGrad(input.rowPtr, input.index, input.value, input.idx16 ? 1 : 0, input.valU8 ? 1 : 0, this.constants, args.examples, rows, g, op.units, op.inputs, dw, this.decoded);
          } else {
            k.gemm(b.input, g, dw, op.inputs, op.units, rows, 1, 0, 0, 0, 0, 0, this.work);
          }
          if (w.bias >= 0) k.columnSums(g, rows, op.units, grads + w.bias * 4);
          if (i > this.firstDense) {
            k.gemm(
              g,
              params + w.kernel * 4,
              other,
              rows,
              op.inputs,
              op.units,
              0,
              1,
              0,
              0,
              0,
              0,
              this.work,
            );
            const t = g;
            g = other;
            other = t;
          }
          break;
        }
      }
    }
  }

  /**
   * Forward pass in inference mode over dense rows the caller wrote into `inputView` (and
   * targets into `targetView`); loss and metrics into `values`.
   */
  evaluate(args: { rows: number; params: number }): void {
    this.checkRows(args.rows);
    this.forward(0, args.rows, args.params, undefined, false);
    this.lossAndMetrics(args.rows, 1);
  }
}
