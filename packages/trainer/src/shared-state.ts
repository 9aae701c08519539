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
 *                thread at the start of an epoch, before it posts the epoch's first step.
 *   control      the step protocol's words and numbers: see step-channel.ts, which says
 *                who writes what, when, and how its sequence numbers order the phases.
 */
import { type ParameterSpec, ParameterStore, type ParameterStoreDescription } from '@tessera/core';
import { channelBytes, StepChannel } from './step-channel.js';

export interface SharedStateDescription {
  store: ParameterStoreDescription;
  grads: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  backup: SharedArrayBuffer;
  control: SharedArrayBuffer;
  permutation: SharedArrayBuffer;
  workers: number;
  slotCount: number;
  /** Metric values each worker reports per step. */
  metricCount: number;
}

export class SharedTrainingState {
  readonly store: ParameterStore;
  readonly workers: number;
  readonly slotCount: number;
  readonly metricCount: number;
  /** The step protocol over the control buffer. */
  readonly channel: StepChannel;
  readonly permutation: Int32Array;
  private readonly buffers: Omit<
    SharedStateDescription,
    'store' | 'workers' | 'slotCount' | 'metricCount'
  >;

  private constructor(store: ParameterStore, d: Omit<SharedStateDescription, 'store'>) {
    this.store = store;
    this.workers = d.workers;
    this.slotCount = d.slotCount;
    this.metricCount = d.metricCount;
    this.buffers = {
      grads: d.grads,
      slots: d.slots,
      backup: d.backup,
      control: d.control,
      permutation: d.permutation,
    };
    this.channel = new StepChannel(d.control, d.workers, d.metricCount);
    this.permutation = new Int32Array(d.permutation);
  }

  /** Allocates every shared buffer for `workers` threads and `slotCount` optimizer arrays. */
  static create(options: {
    specs: readonly ParameterSpec[];
    workers: number;
    slotCount: number;
    metricCount: number;
    examples: number;
  }): SharedTrainingState {
    const store = ParameterStore.create(options.specs);
    const floats = (n: number) =>
      new SharedArrayBuffer(n * store.length * Float32Array.BYTES_PER_ELEMENT);
    return new SharedTrainingState(store, {
      workers: options.workers,
      slotCount: options.slotCount,
      metricCount: options.metricCount,
      grads: floats(options.workers),
      slots: floats(options.slotCount),
      backup: floats(1 + options.slotCount),
      control: new SharedArrayBuffer(channelBytes(options.workers, options.metricCount)),
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
      metricCount: this.metricCount,
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
