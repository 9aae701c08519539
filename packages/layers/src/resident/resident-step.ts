/**
 * The resident training step: runs a plan (plan.ts) over one WebAssembly memory with
 * core's resident kernels. No tensors, no tape, no operand copies. A step has two phases,
 * which the data-parallel trainer runs on every worker between its two barriers:
 *
 * 1. `forwardBackward` (data-parallel): for the shard's rows, the forward pass, loss and
 *    metrics, and the backward pass down to each Dense layer's pre-activation gradient
 *    dZ. Every layer's activations and dZ rows go into batch-wide buffers (`shared`) at
 *    the shard's row offset, so the next phase sees the whole batch.
 * 2. `sliceGradient` (parameter-parallel): the gradient of the parameters in one slice of
 *    the parameter vector, over the WHOLE batch, from those buffers: dW rows = Xᵀ·dZ for
 *    the kernel rows in the slice, db = column sums of dZ. The slice's owner computes it
 *    and applies the optimizer to it at once; no per-worker gradient slot is summed and no
 *    gradient crosses between cores, and every weight's gradient is summed over the
 *    batch's examples in order — the same bits for any number of workers.
 *
 * Its memory layout (the batch-wide buffers and each worker's private scratch) is in
 * resident-layout.ts; its arguments' types in resident-options.ts.
 */
import type { ResidentExports, RngStream } from '@tessera/core';
import { lossAndGradient, metricInto } from './loss-math.js';
import type { ResidentPlan } from './plan-types.js';
import {
  parameterGaps,
  type ScratchLayout,
  type SharedLayout,
  scratchLayout,
  sharedLayout,
  slackFloats,
  widthOf,
} from './resident-layout.js';
import type {
  CompressedInput,
  ForwardBackwardArgs,
  ResidentEvaluateArgs,
  ResidentStepOptions,
} from './resident-options.js';

/**
 * One planned step (see the module comment).
 *
 * ```ts
 * const step = new ResidentStep(plan, { kernels, scratch, shared, sharedRows, maxRows, sliceFloats, offsetOf, input });
 * step.forwardBackward(args);                  // every worker, its shard
 * const g = step.sliceGradient({ examples, rows, params, start, end }); // the slice owner
 * ```
 */
export class ResidentStep {
  readonly plan: ResidentPlan;
  /** Loss then each metric of the last forward pass. */
  readonly values: Float64Array;
  /** Target rows of the next call (the caller writes them first). */
  readonly targetView: Float32Array;
  private readonly k: ResidentExports;
  private readonly f32: Float32Array;
  /** The training set's compressed rows when the first layer reads them, else undefined. */
  private readonly trainRows: CompressedInput | undefined;
  private readonly maxRows: number;
  private readonly sharedRows: number;
  private readonly layout: SharedLayout;
  /** Private row buffers of one call (options.privateRows), in the scratch after its layout. */
  private readonly privateLayout: SharedLayout | undefined;
  /** The buffers the current forward and backward pass write: `layout` or `privateLayout`. */
  private active: SharedLayout;
  /**
   * What `publish` copies, as (private byte offset, batch-wide byte offset, floats a row)
   * triples: each Dense layer's dZ and its input rows (unless it reads compressed rows).
   */
  private readonly published: number[] = [];
  private readonly scratch: ScratchLayout;
  private readonly offsets: { kernel: number; bias: number }[];
  /**
   * Float ranges `[gaps[2i], gaps[2i+1])` of the parameter vector that no weight of the plan
   * covers (padding between weights); the last one ends at Infinity.
   */
  private readonly gaps: Float64Array;
  private readonly lossGradient: Float32Array;
  /** Per op: whether the backward pass reaches a weight through it (its gradient is needed). */
  private readonly needsGradient: Uint8Array;
  /** Per op: whether a gradient reached its output in this backward pass. */
  private readonly written: Uint8Array;
  private readonly slack: number;
  private readonly sliceFloats: number;
  /** 1 when `sliceGradient` reads compressed rows ahead (options.readRowsAhead). */
  private readonly readRowsAhead: number;
  /** Exact-length views of the input rows, by (row offset, rows, batch-wide or private). */
  private readonly inputViews = new Map<number, Float32Array>();
  /** Views of the model's output rows, by their byte offset. */
  private readonly outputViews = new Map<number, Float32Array>();

  /** Private scratch bytes (see the module comment), with private row buffers when asked. */
  static scratchBytes(
    plan: ResidentPlan,
    sizes: { maxRows: number; sharedRows: number; sliceFloats: number; privateRows?: boolean },
  ): number {
    const rows = Math.max(1, sizes.maxRows);
    const own = scratchLayout(plan, rows, sizes.sharedRows, sizes.sliceFloats, 0).end;
    return own + (sizes.privateRows === true ? sharedLayout(plan, rows, 0).end : 0);
  }

  /** Bytes of the batch-wide buffers for `sharedRows` rows. */
  static sharedBytes(plan: ResidentPlan, sharedRows: number): number {
    return sharedLayout(plan, sharedRows, 0).end;
  }

  constructor(plan: ResidentPlan, options: ResidentStepOptions) {
    this.plan = plan;
    this.k = options.kernels.raw;
    this.f32 = options.kernels.f32;
    const readers = plan.ops.filter((op) => op.from.includes(-1));
    this.trainRows =
      options.input.kind === 'sparse' && readers.every((op) => op.kind === 'dense')
        ? options.input
        : undefined;
    this.maxRows = Math.max(1, options.maxRows);
    this.sharedRows = options.sharedRows;
    if (this.sharedRows < this.maxRows) {
      throw new RangeError(
        `ResidentStep: sharedRows must hold at least maxRows (${this.maxRows}). Received: sharedRows=${this.sharedRows}`,
      );
    }
    this.sliceFloats = options.sliceFloats;
    this.readRowsAhead = options.readRowsAhead === true ? 1 : 0;
    this.layout = sharedLayout(plan, this.sharedRows, options.shared);
    this.scratch = scratchLayout(
      plan,
      this.maxRows,
      this.sharedRows,
      this.sliceFloats,
      options.scratch,
    );
    this.privateLayout =
      options.privateRows === true
        ? sharedLayout(plan, this.maxRows, options.scratch + this.scratch.end)
        : undefined;
    this.active = this.layout;
    this.offsets = plan.ops.map((op) =>
      op.kind === 'dense'
        ? {
            kernel: options.offsetOf(op.kernel),
            bias: op.bias === null ? -1 : options.offsetOf(op.bias),
          }
        : { kernel: -1, bias: -1 },
    );
    this.gaps = parameterGaps(plan, this.offsets);
    if (this.privateLayout !== undefined) this.planPublish(this.privateLayout);
    this.needsGradient = new Uint8Array(plan.ops.length);
    plan.ops.forEach((op, i) => {
      const upstream = op.from.some((f) => f >= 0 && this.needsGradient[f] === 1);
      this.needsGradient[i] = op.kind === 'dense' || upstream ? 1 : 0;
    });
    this.written = new Uint8Array(plan.ops.length);
    this.slack = slackFloats(plan);
    this.values = new Float64Array(1 + plan.metrics.length);
    this.targetView = this.view(this.scratch.targets, this.maxRows * plan.targetWidth);
    const lastOp = plan.ops.length - 1;
    this.lossGradient = this.view(
      lastOp < 0 ? this.scratch.temp : this.scratch.grads[lastOp]!,
      this.maxRows * plan.outputs,
    );
    // Kernel constants live in memory (see core's assembly/resident-sparse.ts): [0] the training
    // input's scale, [1] the scale of the set `evaluate` reads.
    this.f32[this.scratch.constants / 4] =
      options.input.kind === 'sparse' ? options.input.scale : 1;
    // The kernels' context (tile state) is the first bytes of the private scratch.
    options.kernels.raw.useContext(options.scratch);
  }

  private view(ptr: number, floats: number): Float32Array {
    return this.f32.subarray(ptr / 4, ptr / 4 + floats);
  }

  /** Whether the first layer reads compressed rows. */
  get sparseInput(): boolean {
    return this.trainRows !== undefined;
  }

  /**
   * Where the caller writes dense input rows [at, at + rows) (exactly rows × features
   * values; the same view for the same arguments); with `own`, rows [0, rows) of the
   * private row buffers (at must be 0).
   */
  inputRows(at: number, rows: number, own = false): Float32Array {
    const layout = own ? this.privateLayout : this.layout;
    if (layout === undefined) {
      throw new Error(
        'ResidentStep.inputRows: this step has no private rows (options.privateRows)',
      );
    }
    if (own && at !== 0) {
      throw new RangeError(`ResidentStep.inputRows: private rows start at 0. Received: at=${at}`);
    }
    const key = (at * 65536 + rows) * 2 + (own ? 1 : 0);
    let v = this.inputViews.get(key);
    if (v === undefined) {
      const most = own ? this.maxRows : this.sharedRows;
      const whole = Number.isInteger(at) && Number.isInteger(rows);
      if (!(whole && at >= 0 && rows >= 0 && at + rows <= most)) {
        throw new RangeError(
          `ResidentStep.inputRows: rows [at, at + rows) must lie within the ${most} ${own ? 'private' : 'batch-wide'} rows. Received: at=${at}, rows=${rows}`,
        );
      }
      const f = this.plan.features;
      v = this.view(layout.input + at * f * 4, rows * f);
      this.inputViews.set(key, v);
    }
    return v;
  }

  /** Fills `published` (see there) from the private row buffers `own`. */
  private planPublish(own: SharedLayout): void {
    const seen = new Set<number>();
    this.plan.ops.forEach((op, i) => {
      if (op.kind !== 'dense') return;
      this.published.push(own.ops[i]!.dz, this.layout.ops[i]!.dz, op.units);
      const from = op.from[0]!;
      if (seen.has(from) || (from < 0 && this.trainRows !== undefined)) return;
      seen.add(from);
      if (from < 0) this.published.push(own.input, this.layout.input, this.plan.features);
      else {
        const width = widthOf(this.plan.ops[from]!);
        this.published.push(own.ops[from]!.output, this.layout.ops[from]!.output, width);
      }
    });
  }

  /**
   * After `forwardBackward` with `private`: copies its `rows` rows of what the update phase
   * reads (each Dense layer's dZ and input rows) into the batch-wide rows [at, at + rows).
   */
  publish(at: number, rows: number): void {
    this.checkRows(rows, at);
    const list = this.published;
    for (let i = 0; i < list.length; i += 3) {
      const bytes = list[i + 2]! * 4;
      this.k.copyBytes(list[i + 1]! + at * bytes, list[i]!, rows * bytes);
    }
  }

  private checkRows(rows: number, at: number): void {
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= this.maxRows)) {
      throw new RangeError(
        `ResidentStep: rows must be an integer in [1, ${this.maxRows}]. Received: rows=${rows}`,
      );
    }
    if (!(Number.isInteger(at) && at >= 0 && at + rows <= this.sharedRows)) {
      throw new RangeError(
        `ResidentStep: rows [at, at + rows) must lie in the ${this.sharedRows} shared rows. Received: at=${at}`,
      );
    }
  }

  /** Byte offset of row `at` of a batch-wide buffer of `width` floats per row. */
  private row(base: number, at: number, width: number): number {
    return base + at * width * 4;
  }

  /**
   * Byte offset of row `at` of op `from`'s output (-1: the model's input rows), in the
   * active buffers.
   */
  private valueRow(from: number, at: number): number {
    if (from < 0) return this.row(this.active.input, at, this.plan.features);
    return this.row(this.active.ops[from]!.output, at, widthOf(this.plan.ops[from]!));
  }

  /**
   * Forward pass of rows [at, at + rows); with `rng` (training), dropout draws its masks.
   * With `compressed` the first Dense layer reads those rows (`examples`: byte offset of
   * their i32 row numbers, counted from row `firstRow`; `scaleAt`: of their scale), else
   * the dense input rows.
   */
  private forward(
    examples: number,
    rows: number,
    at: number,
    params: number,
    rng: RngStream | undefined,
    compressed: CompressedInput | undefined,
    scaleAt: number,
    firstRow: number,
  ): void {
    const k = this.k;
    const ops = this.plan.ops;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      const width = widthOf(op);
      const output = this.row(this.active.ops[i]!.output, at, width);
      const from = op.from[0]!;
      const input = this.valueRow(from, at);
      switch (op.kind) {
        case 'dense': {
          const w = this.offsets[i]!;
          const bias = w.bias < 0 ? 0 : params + w.bias * 4;
          const kernel = params + w.kernel * 4;
          const src = compressed;
          if (from < 0 && src !== undefined) {
            // biome-ignore format: the kernel's argument list
            k.csrDense(src.rowPtr + firstRow * 4, src.index, src.value, src.idx16 ? 1 : 0, src.valU8 ? 1 : 0, scaleAt, examples, rows, kernel, bias, output, op.units, op.act, op.alpha, this.scratch.decoded);
          } else {
            // biome-ignore format: the kernel's argument list
            k.gemm(input, kernel, output, rows, op.units, op.inputs, 0, 0, bias, op.act, op.alpha, 0, this.scratch.work);
          }
          break;
        }
        case 'activation':
          k.activationForward(op.act, input, output, rows * width, op.alpha);
          break;
        case 'softmax':
          k.softmaxRows(input, output, rows, width, op.log ? 1 : 0);
          break;
        case 'maxout':
          k.maxoutForward(input, output, rows, op.units, op.pieces);
          break;
        case 'dropout': {
          const n = rows * width;
          if (rng === undefined) {
            k.copyBytes(output, input, n * 4);
            break;
          }
          const maskPtr = this.row(this.active.ops[i]!.mask, at, width);
          const mask = this.f32;
          const first = maskPtr / 4;
          const keep = 1 - op.rate;
          const scale = 1 / keep;
          for (let j = 0; j < n; j++) mask[first + j] = rng.next() < keep ? scale : 0;
          k.multiply(input, maskPtr, output, n);
          break;
        }
        case 'add':
          k.copyBytes(output, input, rows * width * 4);
          for (let j = 1; j < op.from.length; j++) {
            k.accumulate(output, this.valueRow(op.from[j]!, at), rows * width);
          }
          break;
        case 'concat': {
          let c0 = 0;
          for (let j = 0; j < op.from.length; j++) {
            const w = op.widths[j]!;
            k.placeColumns(this.valueRow(op.from[j]!, at), rows, w, output, width, c0);
            c0 += w;
          }
          break;
        }
      }
    }
  }

  /** Loss and metrics of the forward pass of rows [at, …) into `values`; scale·∂loss/∂output into grad A. */
  private lossAndMetrics(rows: number, at: number, scale: number): void {
    const { plan } = this;
    const layout = this.active;
    const last = layout.ops.length - 1;
    const outPtr =
      last < 0
        ? this.row(layout.input, at, plan.features)
        : this.row(layout.ops[last]!.output, at, plan.outputs);
    let p = this.outputViews.get(outPtr);
    if (p === undefined) {
      const rows = layout === this.layout ? this.sharedRows - at : this.maxRows;
      p = this.view(outPtr, Math.min(this.maxRows, rows) * plan.outputs);
      this.outputViews.set(outPtr, p);
    }
    const y = this.targetView;
    lossAndGradient(plan.loss, p, y, this.lossGradient, rows, plan.outputs, scale, this.values);
    for (let m = 0; m < plan.metrics.length; m++) {
      metricInto(plan.metrics[m]!, p, y, rows, plan.outputs, this.values, 1 + m);
    }
  }

  /**
   * Phase 1 over a shard: forward, loss and metrics into `values`, and the backward pass
   * down to every Dense layer's dZ, written into the batch-wide buffers at rows
   * [at, at + rows). Dense input rows must be in `inputRows(at, rows)`, targets in
   * `targetView`.
   */
  /** Whether the backward pass needs the gradient of op p's output (-1: the input, never). */
  private wantsGradient(p: number): boolean {
    return p >= 0 && this.needsGradient[p] === 1;
  }

  /**
   * Where a gradient for op p's output is written: straight into p's buffer when it is the
   * first to arrive there, else into temp, to be added by `gradientArrived`.
   */
  private gradientTarget(p: number): number {
    return this.written[p] === 0 ? this.scratch.grads[p]! : this.scratch.temp;
  }

  /** Records a gradient of n values written at `src` (from gradientTarget) for op p's output. */
  private gradientArrived(p: number, src: number, n: number): void {
    if (this.written[p] === 0) this.written[p] = 1;
    else this.k.accumulate(this.scratch.grads[p]!, src, n);
  }

  forwardBackward(args: ForwardBackwardArgs): void {
    const { rows, params } = args;
    const own = args.private === true;
    if (own && this.privateLayout === undefined) {
      throw new Error(
        'ResidentStep.forwardBackward: this step has no private rows (options.privateRows)',
      );
    }
    const at = own ? 0 : args.at;
    this.checkRows(rows, args.at);
    this.active = own ? this.privateLayout! : this.layout;
    // biome-ignore format: the call's argument list
    this.forward(args.examples, rows, at, params, args.rng, this.trainRows, this.scratch.constants, 0);
    this.lossAndMetrics(rows, at, args.scale);
    const k = this.k;
    const ops = this.plan.ops;
    const written = this.written;
    written.fill(0);
    if (ops.length > 0) written[ops.length - 1] = 1;
    for (let i = ops.length - 1; i >= 0; i--) {
      if (written[i] === 0 || this.needsGradient[i] === 0) continue;
      const op = ops[i]!;
      const width = widthOf(op);
      const g = this.scratch.grads[i]!;
      const output = this.row(this.active.ops[i]!.output, at, width);
      const from = op.from[0]!;
      const input = this.valueRow(from, at);
      switch (op.kind) {
        case 'dense': {
          const dz = this.row(this.active.ops[i]!.dz, at, width);
          // The epilogue activations' backward reads only y (z may be y).
          if (op.act !== 0)
            k.activationBackward(op.act, output, output, g, dz, rows * width, op.alpha);
          else k.copyBytes(dz, g, rows * width * 4);
          if (this.wantsGradient(from)) {
            const dst = this.gradientTarget(from);
            const kernel = params + this.offsets[i]!.kernel * 4;
            // biome-ignore format: the kernel's argument list
            k.gemm(dz, kernel, dst, rows, op.inputs, op.units, 0, 1, 0, 0, 0, 0, this.scratch.work);
            this.gradientArrived(from, dst, rows * op.inputs);
          }
          break;
        }
        case 'softmax':
        case 'activation':
        case 'dropout':
        case 'maxout': {
          if (!this.wantsGradient(from)) break;
          const dst = this.gradientTarget(from);
          const inWidth = op.kind === 'maxout' ? op.units * op.pieces : width;
          if (op.kind === 'softmax')
            k.softmaxRowsBackward(output, g, dst, rows, width, op.log ? 1 : 0);
          else if (op.kind === 'activation')
            k.activationBackward(op.act, input, output, g, dst, rows * width, op.alpha);
          else if (op.kind === 'dropout')
            k.multiply(g, this.row(this.active.ops[i]!.mask, at, width), dst, rows * width);
          else k.maxoutBackward(input, output, g, dst, rows, op.units, op.pieces);
          this.gradientArrived(from, dst, rows * inWidth);
          break;
        }
        case 'add':
          for (let j = 0; j < op.from.length; j++) {
            const p = op.from[j]!;
            if (!this.wantsGradient(p)) continue;
            const dst = this.gradientTarget(p);
            k.copyBytes(dst, g, rows * width * 4);
            this.gradientArrived(p, dst, rows * width);
          }
          break;
        case 'concat': {
          let c0 = 0;
          for (let j = 0; j < op.from.length; j++) {
            const p = op.from[j]!;
            const w = op.widths[j]!;
            if (this.wantsGradient(p)) {
              const dst = this.gradientTarget(p);
              k.packColumns(g, rows, width, c0, c0 + w, dst);
              this.gradientArrived(p, dst, rows * w);
            }
            c0 += w;
          }
          break;
        }
      }
    }
  }

  /**
   * Phase 2 for parameters [start, end) of the parameter vector: their gradient over the
   * batch's `rows` rows (all of them written by phase 1; `examples` is the byte offset of
   * the batch's i32 example numbers, read with compressed input). Returns the byte offset
   * `g` such that the gradient of parameter i is the float at g + 4·i, for i in
   * [start, end); padding between weights reads 0.
   */
  sliceGradient(args: { examples: number; rows: number; start: number; end: number }): number {
    const { rows, start, end } = args;
    if (!(end - start <= this.sliceFloats && start >= 0 && end >= start)) {
      throw new RangeError(
        `ResidentStep.sliceGradient: a slice holds at most ${this.sliceFloats} parameters. Received: [start, end]=[${start}, ${end}]`,
      );
    }
    if (!(Number.isInteger(rows) && rows >= 1 && rows <= this.sharedRows)) {
      throw new RangeError(
        `ResidentStep.sliceGradient: rows must be a whole number from 1 to the step's ${this.sharedRows} batch-wide rows. Received: rows=${rows}`,
      );
    }
    const k = this.k;
    const base = this.scratch.slice + this.slack * 4 - start * 4;
    if (base < 0) throw new RangeError('ResidentStep.sliceGradient: the slice buffer lies too low');
    // Padding between weights has no gradient; every weight's is written below.
    const gaps = this.gaps;
    for (let g = 0; g < gaps.length; g += 2) {
      const a = Math.max(start, gaps[g]!);
      const b = Math.min(end, gaps[g + 1]!);
      if (a < b) this.f32.fill(0, (base >> 2) + a, (base >> 2) + b);
    }
    const ops = this.plan.ops;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (op.kind !== 'dense') continue;
      const w = this.offsets[i]!;
      const units = op.units;
      const dz = this.layout.ops[i]!.dz;
      // Kernel rows overlapping the slice.
      const a = Math.max(start, w.kernel) - w.kernel;
      const b = Math.min(end, w.kernel + op.inputs * units) - w.kernel;
      if (a < b) {
        const r0 = Math.floor(a / units);
        const r1 = Math.ceil(b / units);
        const dw = base + w.kernel * 4;
        const src = this.trainRows;
        if (op.from[0] === -1 && src !== undefined) {
          // biome-ignore format: the kernel's argument list
          k.csrDenseWeightGrad(src.rowPtr, src.index, src.value, src.idx16 ? 1 : 0, src.valU8 ? 1 : 0, this.scratch.constants, args.examples, rows, dz, units, r0, r1, dw, this.scratch.decoded, this.readRowsAhead);
        } else {
          const from = op.from[0]!;
          const x = from < 0 ? this.layout.input : this.layout.ops[from]!.output;
          const packed = this.scratch.packed;
          k.packColumns(x, rows, op.inputs, r0, r1, packed);
          // biome-ignore format: the kernel's argument list
          k.gemm(packed, dz, dw + r0 * units * 4, r1 - r0, units, rows, 1, 0, 0, 0, 0, 0, this.scratch.work);
        }
      }
      if (w.bias >= 0) {
        const c0 = Math.max(start, w.bias) - w.bias;
        const c1 = Math.min(end, w.bias + units) - w.bias;
        if (c0 < c1) {
          k.columnSums(dz, rows, units, this.scratch.sums);
          k.copyBytes(base + (w.bias + c0) * 4, this.scratch.sums + c0 * 4, (c1 - c0) * 4);
        }
      }
    }
    return base;
  }

  /**
   * Forward pass in inference mode over `args.compressed`'s rows when the first layer reads
   * compressed rows, else over dense rows the caller wrote into `inputRows(at, rows)`
   * (targets into `targetView` either way); loss and metrics into `values`.
   */
  evaluate(args: ResidentEvaluateArgs): void {
    this.checkRows(args.rows, args.at);
    this.active = this.layout;
    const set = this.trainRows === undefined ? undefined : args.compressed;
    const scaleAt = this.scratch.constants + 4;
    if (set !== undefined) this.f32[scaleAt / 4] = set.input.scale;
    this.forward(
      set?.examples ?? 0,
      args.rows,
      args.at,
      args.params,
      undefined,
      set?.input,
      scaleAt,
      set?.firstRow ?? 0,
    );
    this.lossAndMetrics(args.rows, args.at, 1);
  }
}
