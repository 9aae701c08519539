/**
 * The resident step split by hidden units, for a first Dense layer over compressed input
 * rows followed by an output Dense layer (unit-split-plan.ts). The hidden units are cut
 * into blocks of UNIT_BLOCK; each worker owns a range of blocks — the first layer's kernel
 * columns, its biases and the output kernel's rows for them, their optimizer state — and
 * takes its own blocks first in both phases, then any block another worker has not
 * started. Only what the output layer needs from every block crosses between cores: a
 * partial product per block (rows × outputs floats), and back the output's delta dZ₂. The
 * kernel, 400 KB on the reference network, stays in the caches of the core that updates
 * it; in the row-split step every core read all of it every step, after the other had
 * written half of it.
 *
 * During a run the hidden kernel is block-major (the trainer converts the store before and
 * after: its unit-split-layout.ts): block b's columns are one features × UNIT_BLOCK block at
 * element b·UNIT_BLOCK·features of the kernel, so no two cores write beside each other. The
 * hidden layer's batch-wide activations are block-major too (rows × UNIT_BLOCK per block).
 *
 * A step (the trainer's two phases):
 * 1. `decode` the batch's compressed rows once per worker, then `forwardBlock` for each
 *    block: its units' activations H_b = act(X·W₁[b] + b₁[b]) over the whole batch, and
 *    the partial product H_b·W₂[b] (block 0's with b₂). Once every block is done,
 *    `finishRows` for each chunk of the batch's rows (any worker): the partial products
 *    added in block order, the row-wise ops, the loss and metrics, and the backward pass
 *    down to dZ₂ (batch-wide).
 * 2. `backwardBlock` for each block: dH_b = dZ₂·W₂[b]ᵀ, dZ_b = dH_b·act′, the output
 *    kernel's rows H_bᵀ·dZ₂, the biases' column sums, and the kernel's gradient Xᵀ·dZ_b
 *    over the decoded rows, into `scratch`; the caller applies the optimizer to them.
 * Every gradient is a sum over the batch's rows in row order, and every block is computed
 * alike whoever computes it, so the bits are the same for any number of workers.
 */
import type { ResidentExports, ResidentKernels } from '@tessera/core';
import { lossAndGradient, metricInto } from './loss-math.js';
import type { PlannedOp, ResidentPlan } from './plan-types.js';
import { type SharedLayout, sharedLayout } from './resident-layout.js';
import type { CompressedInput } from './resident-options.js';
import {
  UNIT_BLOCK,
  type UnitScratchLayout,
  type UnitSplitShape,
  unitPartialBytes,
  unitPartialStride,
  unitScratchLayout,
} from './unit-split-plan.js';

export interface UnitSplitOptions {
  kernels: ResidentKernels;
  shape: UnitSplitShape;
  /** Byte offset of the batch-wide buffers (ResidentStep.sharedBytes of the plan). */
  shared: number;
  /** Rows of the batch-wide buffers (at least a batch). */
  sharedRows: number;
  /** Byte offset of the partial products (UnitSplitStep.partialBytes). */
  partials: number;
  /** Byte offset of this worker's scratch (UnitSplitStep.scratchBytes). */
  scratch: number;
  /** Element offset of a weight (by store name) in the parameter vector. */
  offsetOf: (weight: string) => number;
  input: CompressedInput;
}

type DenseOp = Extract<PlannedOp, { kind: 'dense' }>;

/** Float32Array views of the memory by byte offset, then length. */
type ViewCache = Map<number, Map<number, Float32Array>>;

export class UnitSplitStep {
  /** Loss then each metric of the last `finishRows` (means over its rows). */
  readonly values: Float64Array;
  readonly shape: UnitSplitShape;
  /** Where `backwardBlock` leaves the block's gradients (byte offsets; see unitScratchLayout). */
  readonly scratch: UnitScratchLayout;
  /** Element offsets of W₁, b₁ (-1: none), W₂, b₂ (-1: none). */
  readonly offsets: { kernel: number; bias: number; outKernel: number; outBias: number };
  private readonly k: ResidentExports;
  private readonly f32: Float32Array;
  private readonly plan: ResidentPlan;
  private readonly layout: SharedLayout;
  private readonly hidden: DenseOp;
  private readonly output: DenseOp;
  private readonly input: CompressedInput;
  private readonly sharedRows: number;
  private readonly partials: number;
  private readonly partialStride: number;
  /** Rows of the last `decode`. */
  private decodedRows = 0;
  /** Exact-length views by byte offset and length (made once each). */
  private readonly targetViews: ViewCache = new Map();
  private readonly outputViews: ViewCache = new Map();
  private readonly gradViews: ViewCache = new Map();

  static scratchBytes(plan: ResidentPlan, shape: UnitSplitShape, rows: number): number {
    return unitScratchLayout(shape, plan, rows, 0).end;
  }

  static partialBytes(shape: UnitSplitShape, rows: number): number {
    return unitPartialBytes(shape, rows);
  }

  constructor(plan: ResidentPlan, options: UnitSplitOptions) {
    this.plan = plan;
    this.shape = options.shape;
    this.k = options.kernels.raw;
    this.f32 = options.kernels.f32;
    this.hidden = plan.ops[0] as DenseOp;
    this.output = plan.ops[1] as DenseOp;
    this.input = options.input;
    this.sharedRows = options.sharedRows;
    this.layout = sharedLayout(plan, options.sharedRows, options.shared);
    this.partials = options.partials;
    this.partialStride = unitPartialStride(this.shape, options.sharedRows);
    this.scratch = unitScratchLayout(this.shape, plan, options.sharedRows, options.scratch);
    const at = (name: string | null) => (name === null ? -1 : options.offsetOf(name));
    this.offsets = {
      kernel: at(this.hidden.kernel),
      bias: at(this.hidden.bias),
      outKernel: at(this.output.kernel),
      outBias: at(this.output.bias),
    };
    this.values = new Float64Array(1 + plan.metrics.length);
    this.f32[this.scratch.constants / 4] = options.input.scale;
  }

  private checkRows(rows: number): void {
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= this.sharedRows)) {
      throw new RangeError(
        `UnitSplitStep: rows must be a whole number from 1 to ${this.sharedRows}. Received: rows=${rows}`,
      );
    }
  }

  private checkBlock(rows: number, b: number): void {
    if (rows !== this.decodedRows) {
      throw new RangeError(
        `UnitSplitStep: decode the batch's rows first (decoded ${this.decodedRows} rows). Received: rows=${rows}`,
      );
    }
    if (!(Number.isInteger(b) && b >= 0 && b < this.shape.blocks)) {
      throw new RangeError(
        `UnitSplitStep: block must be a whole number from 0 to ${this.shape.blocks - 1}. Received: block=${b}`,
      );
    }
  }

  /**
   * Where the caller writes the target rows [at, at + rows) of the batch before
   * `finishRows` reads them (in this worker's scratch).
   */
  targetRows(at: number, rows: number): Float32Array {
    if (!(Number.isInteger(at) && Number.isInteger(rows) && at >= 0 && rows >= 0)) {
      throw new RangeError(
        `UnitSplitStep.targetRows: at and rows must be whole numbers. Received: at=${at}, rows=${rows}`,
      );
    }
    if (at + rows > this.sharedRows) {
      throw new RangeError(
        `UnitSplitStep.targetRows: rows [at, at + rows) must lie within ${this.sharedRows} rows. Received: at=${at}, rows=${rows}`,
      );
    }
    const width = this.plan.targetWidth;
    return this.rowsView(this.targetViews, this.scratch.targets + at * width * 4, rows * width);
  }

  /**
   * Decodes the batch's `rows` compressed rows (`examples`: byte offset of their i32 row
   * numbers) for this worker's block calls of the step.
   */
  decode(examples: number, rows: number): void {
    this.checkRows(rows);
    const src = this.input;
    const s = this.scratch;
    // biome-ignore format: the kernel's argument list
    this.k.decodeRows(src.rowPtr, src.index, src.value, src.idx16 ? 1 : 0, src.valU8 ? 1 : 0, s.constants, examples, rows, UNIT_BLOCK * 4, s.starts, s.pairs);
    this.decodedRows = rows;
  }

  /** Byte offset of block b's activations: rows × UNIT_BLOCK floats, blocks apart. */
  private hiddenRows(b: number): number {
    return this.layout.ops[0]!.output + this.sharedRows * UNIT_BLOCK * b * 4;
  }

  /** Phase 1 for block b over the decoded rows (`params`: the parameter vector it reads). */
  forwardBlock(rows: number, params: number, b: number): void {
    this.checkBlock(rows, b);
    const k = this.k;
    const s = this.scratch;
    const o = this.offsets;
    const { features, outputs } = this.shape;
    const c0 = b * UNIT_BLOCK;
    const hb = this.hiddenRows(b);
    const bias = o.bias < 0 ? 0 : params + (o.bias + c0) * 4;
    const kernel = params + (o.kernel + features * c0) * 4;
    // biome-ignore format: the kernel's argument list
    k.csrDenseDecoded(s.starts, s.pairs, rows, kernel, bias, hb, UNIT_BLOCK, UNIT_BLOCK, this.hidden.act, this.hidden.alpha);
    const outBias = b === 0 && o.outBias >= 0 ? params + o.outBias * 4 : 0;
    const w2 = params + (o.outKernel + c0 * outputs) * 4;
    const partial = this.partials + b * this.partialStride;
    // biome-ignore format: the kernel's argument list
    k.gemm(hb, w2, partial, rows, outputs, UNIT_BLOCK, 0, 0, outBias, 0, 0, 0, s.work);
  }

  /**
   * After every block's `forwardBlock`, for rows [at, at + rows) of the batch's `n` rows:
   * the output layer's pre-activation (the partial products added in block order), its
   * activation and the row-wise ops after it, the loss and metrics of these rows into
   * `values` (means over them; targets in `targetRows(n)` at row `at`), and the backward
   * pass down to the output layer's dZ₂ (batch-wide), with the loss's gradient scaled by
   * rows / n. Row chunks are independent: workers may finish different chunks of a batch.
   */
  finishRows(at: number, rows: number, n: number): void {
    this.checkRows(n);
    if (
      !(Number.isInteger(at) && Number.isInteger(rows) && at >= 0 && rows >= 1 && at + rows <= n)
    ) {
      throw new RangeError(
        `UnitSplitStep.finishRows: rows [at, at + rows) must lie within the batch's ${n} rows. Received: at=${at}, rows=${rows}`,
      );
    }
    const k = this.k;
    const { plan } = this;
    const ops = plan.ops;
    const width = this.shape.outputs;
    const m = rows * width;
    // Byte offset of row `at` in every rows × outputs buffer (partials, outputs, dZ₂).
    const skip = at * width * 4;
    const z = this.layout.ops[1]!.output + skip;
    k.copyBytes(z, this.partials + skip, m * 4);
    for (let b = 1; b < this.shape.blocks; b++) {
      k.accumulate(z, this.partials + b * this.partialStride + skip, m);
    }
    if (this.output.act !== 0) k.activationForward(this.output.act, z, z, m, this.output.alpha);
    for (let i = 2; i < ops.length; i++) {
      const op = ops[i]!;
      const x = this.layout.ops[i - 1]!.output + skip;
      const y = this.layout.ops[i]!.output + skip;
      if (op.kind === 'softmax') k.softmaxRows(x, y, rows, op.width, op.log ? 1 : 0);
      else if (op.kind === 'activation') k.activationForward(op.act, x, y, m, op.alpha);
    }
    const last = ops.length - 1;
    const p = this.rowsView(this.outputViews, this.layout.ops[last]!.output + skip, m);
    const y = this.rowsView(
      this.targetViews,
      this.scratch.targets + at * plan.targetWidth * 4,
      rows * plan.targetWidth,
    );
    // The gradient reaching op i's output is in g0 (i even) or g1 (i odd).
    const { g0, g1 } = this.scratch;
    const grad = this.rowsView(this.gradViews, (last & 1) === 0 ? g0 : g1, m);
    lossAndGradient(plan.loss, p, y, grad, rows, width, rows / n, this.values);
    for (let j = 0; j < plan.metrics.length; j++) {
      metricInto(plan.metrics[j]!, p, y, rows, width, this.values, 1 + j);
    }
    for (let i = last; i >= 2; i--) {
      const op = ops[i]!;
      const g = (i & 1) === 0 ? g0 : g1;
      const dst = (i & 1) === 0 ? g1 : g0;
      const x = this.layout.ops[i - 1]!.output + skip;
      const out = this.layout.ops[i]!.output + skip;
      if (op.kind === 'softmax') k.softmaxRowsBackward(out, g, dst, rows, op.width, op.log ? 1 : 0);
      else if (op.kind === 'activation') k.activationBackward(op.act, x, out, g, dst, m, op.alpha);
    }
    const dz = this.layout.ops[1]!.dz + skip;
    // The epilogue activations' backward reads only y (z may be y).
    if (this.output.act !== 0) {
      k.activationBackward(this.output.act, z, z, g1, dz, m, this.output.alpha);
    } else k.copyBytes(dz, g1, m * 4);
  }

  /** An exact-length view of `floats` floats at byte `ptr` (made once per place and length). */
  private rowsView(cache: ViewCache, ptr: number, floats: number): Float32Array {
    let byLength = cache.get(ptr);
    if (byLength === undefined) {
      byLength = new Map();
      cache.set(ptr, byLength);
    }
    let v = byLength.get(floats);
    if (v === undefined) {
      v = this.f32.subarray(ptr / 4, ptr / 4 + floats);
      byLength.set(floats, v);
    }
    return v;
  }

  /**
   * Phase 2 for block b over the decoded rows: its gradients into this.scratch — `kernel`
   * (features × UNIT_BLOCK, block-major as the kernel is during a run), `bias`, `outKernel`
   * (the output kernel's rows of the block), and `outBias` for block 0.
   */
  backwardBlock(rows: number, params: number, b: number): void {
    this.checkBlock(rows, b);
    const k = this.k;
    const s = this.scratch;
    const o = this.offsets;
    const { features, outputs } = this.shape;
    const hb = this.hiddenRows(b);
    const dz2 = this.layout.ops[1]!.dz;
    const w2 = params + (o.outKernel + b * UNIT_BLOCK * outputs) * 4;
    // biome-ignore format: the kernel's argument list
    k.gemm(dz2, w2, s.dBlock, rows, UNIT_BLOCK, outputs, 0, 1, 0, 0, 0, 0, s.work);
    // The epilogue activations' backward reads only y (z may be y).
    if (this.hidden.act !== 0) {
      // biome-ignore format: the kernel's argument list
      k.activationBackward(this.hidden.act, hb, hb, s.dBlock, s.dBlock, rows * UNIT_BLOCK, this.hidden.alpha);
    }
    k.columnSums(s.dBlock, rows, UNIT_BLOCK, s.bias);
    // biome-ignore format: the kernel's argument list
    k.gemm(hb, dz2, s.outKernel, UNIT_BLOCK, outputs, rows, 1, 0, 0, 0, 0, 0, s.work);
    if (b === 0 && o.outBias >= 0) k.columnSums(dz2, rows, outputs, s.outBias);
    // biome-ignore format: the kernel's argument list
    k.csrDenseWeightGradDecoded(s.starts, s.pairs, rows, s.dBlock, UNIT_BLOCK, UNIT_BLOCK, s.kernel, features * UNIT_BLOCK * 4);
  }
}
