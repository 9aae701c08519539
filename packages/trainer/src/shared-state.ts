/**
 * Everything the main thread and the workers share, in SharedArrayBuffers made once per
 * `fit` and handed to each worker once (structured clone shares, never copies, them).
 *
 * Buffers, all float32 of `length` = the parameter store's length unless said otherwise:
 *   params       the ParameterStore: weights, read zero-copy by every worker's model.
 *   grads[k]     gradient slot k. Written only by the worker computing shard k, during the
 *                gradient phase; read by the update phase after every shard is done.
 *   slots[s]     optimizer state array s (e.g. Adam's m, v). Written only during the update
 *                phase, by the worker owning the slice.
 *   backup       params and slots of each slice as they were before this step's update,
 *                written by the slice owner just before it updates, read only by the main
 *                thread to roll a failed update back.
 *   permutation  int32, one per training example: the epoch's order. Written by the main
 *                thread at the start of an epoch, before any gradient task is sent.
 *   control      int32 words below. Only Atomics touch them.
 *
 * The pool's messages already order these phases; the sequence numbers make the order
 * explicit (release on add, acquire on load) and let each phase check the previous one
 * really finished: the update phase refuses to run unless GRAD_DONE counts every shard.
 */
import { type ParameterSpec, ParameterStore, type ParameterStoreDescription } from '@tessera/core';

/** Indices into the control Int32Array. */
export const Control = {
  /** Gradient shards finished in the current step (reset by the main thread per step). */
  GRAD_DONE: 0,
  /** Update slices finished in the current step (reset by the main thread per step). */
  UPDATE_DONE: 1,
  /** Threads that finished building their session (the start-up barrier counts to `workers`). */
  READY: 2,
  /** First of `workers` words: BACKUP_STEP + i holds the iteration whose backup of slice i is complete. */
  BACKUP_STEP: 3,
} as const;

export interface SharedStateDescription {
  store: ParameterStoreDescription;
  grads: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  backup: SharedArrayBuffer;
  control: SharedArrayBuffer;
  permutation: SharedArrayBuffer;
  workers: number;
  slotCount: number;
}

export class SharedTrainingState {
  readonly store: ParameterStore;
  readonly workers: number;
  readonly slotCount: number;
  readonly control: Int32Array;
  readonly permutation: Int32Array;
  private readonly buffers: Omit<SharedStateDescription, 'store' | 'workers' | 'slotCount'>;

  private constructor(store: ParameterStore, d: Omit<SharedStateDescription, 'store'>) {
    this.store = store;
    this.workers = d.workers;
    this.slotCount = d.slotCount;
    this.buffers = {
      grads: d.grads,
      slots: d.slots,
      backup: d.backup,
      control: d.control,
      permutation: d.permutation,
    };
    this.control = new Int32Array(d.control);
    this.permutation = new Int32Array(d.permutation);
  }

  /** Allocates every shared buffer for `workers` threads and `slotCount` optimizer arrays. */
  static create(options: {
    specs: readonly ParameterSpec[];
    workers: number;
    slotCount: number;
    examples: number;
  }): SharedTrainingState {
    const store = ParameterStore.create(options.specs);
    const floats = (n: number) =>
      new SharedArrayBuffer(n * store.length * Float32Array.BYTES_PER_ELEMENT);
    return new SharedTrainingState(store, {
      workers: options.workers,
      slotCount: options.slotCount,
      grads: floats(options.workers),
      slots: floats(options.slotCount),
      backup: floats(1 + options.slotCount),
      control: new SharedArrayBuffer(
        (Control.BACKUP_STEP + options.workers) * Int32Array.BYTES_PER_ELEMENT,
      ),
      permutation: new SharedArrayBuffer(
        Math.max(1, options.examples) * Int32Array.BYTES_PER_ELEMENT,
      ),
    });
  }

  /** Re-attaches in a worker to the same memory. */
  static attach(d: SharedStateDescription): SharedTrainingState {
    return new SharedTrainingState(ParameterStore.attach(d.store), d);
  }

  describe(): SharedStateDescription {
    return {
      store: this.store.describe(),
      workers: this.workers,
      slotCount: this.slotCount,
      ...this.buffers,
    };
  }

  get length(): number {
    return this.store.length;
  }

  /** Gradient slot of shard k (whole parameter vector). */
  gradSlot(k: number): Float32Array {
    return new Float32Array(this.buffers.grads, k * this.length * 4, this.length);
  }

  /** The optimizer's state arrays, in the optimizer's slotNames order. */
  optimizerSlots(): Float32Array[] {
    return Array.from(
      { length: this.slotCount },
      (_, s) => new Float32Array(this.buffers.slots, s * this.length * 4, this.length),
    );
  }

  /** Backup array 0 holds params, 1 + s holds optimizer slot s. */
  backupArray(i: number): Float32Array {
    return new Float32Array(this.buffers.backup, i * this.length * 4, this.length);
  }
}
