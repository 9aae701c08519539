/**
 * Everything the main thread and the workers share, in ONE shared memory made once per
 * `fit` and handed to each worker once (structured clone shares, never copies, it): a
 * shared `WebAssembly.Memory` when the model trains on the resident step (then every
 * worker's kernels work on these bytes in place), else a plain SharedArrayBuffer with the
 * same layout. Regions, each 64-byte aligned, in this order:
 *
 *   static       (resident only) the WebAssembly module's static data.
 *   permutation  int32, one per training example: the epoch's order. Written by the main
 *                thread at the start of an epoch, before it posts the epoch's first step.
 *   params       the ParameterStore: weights, read zero-copy by every worker.
 *   grads[k]     gradient slot k (tfjs path only). Written only by the worker computing shard
 *                k, during the gradient phase; read by the update phase after every shard
 *                is done. The resident step needs none: its update phase computes each
 *                slice's gradient from batch-wide buffers (see @tessera/layers' resident/).
 *   slots[s]     optimizer state array s (e.g. Adam's m, v). Written only during the update
 *                phase, by the worker owning the slice.
 *   backup       params and slots of each slice as they were before this step's update,
 *                written by the slice owner just before it updates, read only by the main
 *                thread to roll a failed update back. (The resident step backs up only
 *                before a step that updates in place: see `alternate`.)
 *   alternate    (resident only) the second copy of params and slots: a resident step
 *                reads one copy and writes the other (alternation.ts), so a failed step
 *                leaves the copy it read whole; every run ends with its state in copy 0.
 *   extra        (resident only) the training set's compressed rows when its first layer
 *                reads them (written once by the main thread before the workers start);
 *                the batch-wide buffers (activations and dZ: worker k writes its shard's
 *                rows in the gradient phase, every worker reads all rows in the update
 *                phase); then worker k's scratch (written only by worker k).
 *
 * The step protocol's control words live in their own small buffer (`control`): see
 * step-channel.ts, which says who writes what, when, and how its sequence numbers order
 * the phases. The living description is docs/architecture.md.
 */
import {
  createResidentMemory,
  type ParameterSpec,
  ParameterStore,
  type ParameterStoreDescription,
  planLayout,
  RESIDENT_STATIC_BYTES,
  type WasmMemory,
} from '@tessera/core';
import { channelBytes, StepChannel } from './step-channel.js';

/** Byte offsets of the regions (see the module comment). */
export interface SharedLayout {
  permutation: number;
  params: number;
  grads: number;
  slots: number;
  backup: number;
  /** (Resident only) the second copy of params and slots, laid out as `backup`. */
  alternate: number;
  /** First byte of the resident step's extra regions (compressed rows, scratch). */
  extra: number;
  /** Bytes of the whole memory. */
  bytes: number;
}

export interface SharedStateDescription {
  store: ParameterStoreDescription;
  /** The shared WebAssembly memory of a resident run, else undefined. */
  wasmMemory: WasmMemory | undefined;
  buffer: SharedArrayBuffer;
  layout: SharedLayout;
  control: SharedArrayBuffer;
  workers: number;
  slotCount: number;
  /** Metric values each worker reports per step. */
  metricCount: number;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

export class SharedTrainingState {
  readonly store: ParameterStore;
  readonly workers: number;
  readonly slotCount: number;
  readonly metricCount: number;
  /** The step protocol over the control buffer. */
  readonly channel: StepChannel;
  readonly permutation: Int32Array;
  readonly layout: SharedLayout;
  readonly buffer: SharedArrayBuffer;
  readonly wasmMemory: WasmMemory | undefined;
  private readonly control: SharedArrayBuffer;

  private constructor(store: ParameterStore, d: Omit<SharedStateDescription, 'store'>) {
    this.store = store;
    this.workers = d.workers;
    this.slotCount = d.slotCount;
    this.metricCount = d.metricCount;
    this.layout = d.layout;
    this.buffer = d.buffer;
    this.wasmMemory = d.wasmMemory;
    this.control = d.control;
    this.channel = new StepChannel(d.control, d.workers, d.metricCount);
    this.permutation = new Int32Array(
      d.buffer,
      d.layout.permutation,
      (d.layout.params - d.layout.permutation) / 4,
    );
  }

  /**
   * Allocates the memory for `workers` threads and `slotCount` optimizer arrays, plus
   * `extraBytes` for the resident step's regions when `resident` (a WebAssembly memory).
   */
  static create(options: {
    specs: readonly ParameterSpec[];
    workers: number;
    slotCount: number;
    metricCount: number;
    examples: number;
    /** A resident run: its extra bytes, and whether it uses per-worker gradient slots. */
    resident?: { extraBytes: number; gradientSlots: boolean };
  }): SharedTrainingState {
    const length = planLayout(options.specs).length;
    const floats = (n: number) => align(n * length * 4);
    let at = options.resident !== undefined ? RESIDENT_STATIC_BYTES : 0;
    const take = (bytes: number): number => {
      const start = at;
      at += align(Math.max(4, bytes));
      return start;
    };
    const permutation = take(Math.max(1, options.examples) * 4);
    const params = take(length * 4);
    const slotted = options.resident === undefined || options.resident.gradientSlots;
    const grads = take(slotted ? floats(options.workers) : 0);
    const slots = take(floats(options.slotCount));
    const backup = take(floats(1 + options.slotCount));
    const alternate = take(options.resident !== undefined ? floats(1 + options.slotCount) : 0);
    const extra = take(options.resident?.extraBytes ?? 0);
    const layout: SharedLayout = {
      permutation,
      params,
      grads,
      slots,
      backup,
      alternate,
      extra,
      bytes: at,
    };
    const wasmMemory = options.resident !== undefined ? createResidentMemory(at) : undefined;
    const buffer =
      (wasmMemory?.buffer as SharedArrayBuffer | undefined) ?? new SharedArrayBuffer(at);
    const store = ParameterStore.create(options.specs, { memory: buffer, byteOffset: params });
    return new SharedTrainingState(store, {
      workers: options.workers,
      slotCount: options.slotCount,
      metricCount: options.metricCount,
      layout,
      buffer,
      wasmMemory,
      control: new SharedArrayBuffer(channelBytes(options.workers, options.metricCount)),
    });
  }

  /** Re-attaches in a worker to the same memory. */
  static attach(d: SharedStateDescription): SharedTrainingState {
    return new SharedTrainingState(ParameterStore.attach(d.store), d);
  }

  describe(): SharedStateDescription {
    return {
      store: this.store.describe(),
      wasmMemory: this.wasmMemory,
      buffer: this.buffer,
      layout: this.layout,
      control: this.control,
      workers: this.workers,
      slotCount: this.slotCount,
      metricCount: this.metricCount,
    };
  }

  get length(): number {
    return this.store.length;
  }

  /** Byte offset of gradient slot k. */
  gradOffset(k: number): number {
    return this.layout.grads + k * align(this.length * 4);
  }

  /** Byte offset of optimizer slot s. */
  slotOffset(s: number): number {
    return this.layout.slots + s * align(this.length * 4);
  }

  /** Byte offset of backup array i (0: params, 1 + s: optimizer slot s). */
  backupOffset(i: number): number {
    return this.layout.backup + i * align(this.length * 4);
  }

  /**
   * Byte offset of array i (0: params, 1 + s: optimizer slot s) in copy `copy` of the
   * training state: copy 0 is the store and the optimizer slots, copy 1 the alternate
   * region of a resident run (alternation.ts).
   */
  copyOffset(copy: number, i: number): number {
    if (copy === 0) return i === 0 ? this.layout.params : this.slotOffset(i - 1);
    return this.layout.alternate + i * align(this.length * 4);
  }

  /** Copies the whole state (params and slots) of copy 1 into copy 0, where the main thread reads it. */
  settleFromAlternate(): void {
    for (let i = 0; i <= this.slotCount; i++) {
      const to = new Float32Array(this.buffer, this.copyOffset(0, i), this.length);
      to.set(new Float32Array(this.buffer, this.copyOffset(1, i), this.length));
    }
  }

  /**
   * Copies params [from, length) of copy 0 into copy 1: the weights no step updates (those
   * not trainable), which a step may read from either copy.
   */
  mirrorUntrained(from: number): void {
    if (from >= this.length) return;
    const to = new Float32Array(this.buffer, this.copyOffset(1, 0), this.length);
    to.set(this.store.data.subarray(from), from);
  }

  /** Gradient slot of shard k (whole parameter vector). */
  gradSlot(k: number): Float32Array {
    return new Float32Array(this.buffer, this.gradOffset(k), this.length);
  }

  /** The optimizer's state arrays, in the optimizer's slotNames order. */
  optimizerSlots(): Float32Array[] {
    return Array.from(
      { length: this.slotCount },
      (_, s) => new Float32Array(this.buffer, this.slotOffset(s), this.length),
    );
  }

  /** Backup array 0 holds params, 1 + s holds optimizer slot s. */
  backupArray(i: number): Float32Array {
    return new Float32Array(this.buffer, this.backupOffset(i), this.length);
  }
}
