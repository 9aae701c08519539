/**
 * Named float32 tensors laid out at fixed offsets in one buffer, normally a
 * SharedArrayBuffer, so that every worker thread reads and writes the same weights.
 *
 * Layout: entries in the order given, each starting on a 16-float (64-byte) boundary,
 * so one entry never shares a cache line with the next and SIMD loads stay aligned.
 * Who writes which bytes is the caller's protocol (see the trainer); the store only
 * hands out views.
 *
 * ```ts
 * const store = ParameterStore.create([{ name: 'dense/kernel', shape: [4, 2] }]);
 * worker.postMessage(store.describe());               // structured clone keeps the memory
 * const same = ParameterStore.attach(message);        // in the worker
 * ```
 */
import { NotFoundError, received, ShapeError, ValueError } from './errors.js';
import type { Tensor } from './tf.js';
import { tf } from './tf.js';

/** One named parameter to allocate. */
export interface ParameterSpec {
  name: string;
  shape: readonly number[];
}

/** Where one parameter lives: offsets and sizes count float32 elements. */
export interface ParameterEntry {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** The layout plus the memory; a plain object that survives `postMessage`. */
export interface ParameterStoreDescription {
  entries: ParameterEntry[];
  length: number;
  buffer: SharedArrayBuffer | ArrayBuffer;
  /** Where the store starts in `buffer` (default 0): a store may live inside a larger memory. */
  byteOffset?: number;
}

/** Entries start on multiples of this many floats. */
export const PARAMETER_ALIGNMENT = 16;

function sizeOf(name: string, shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        received(
          `ParameterStore: dimensions of "${name}" must be non-negative integers`,
          'shape',
          shape,
        ),
      );
    }
    size *= d;
  }
  return size;
}

/** Computes offsets for the specs; pure, so tests and workers agree on it. */
export function planLayout(specs: readonly ParameterSpec[]): {
  entries: ParameterEntry[];
  length: number;
} {
  const seen = new Set<string>();
  const entries: ParameterEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (typeof spec.name !== 'string' || spec.name === '') {
      throw new ValueError(
        received('ParameterStore: each parameter needs a non-empty name', 'name', spec.name),
      );
    }
    if (seen.has(spec.name)) {
      throw new ValueError(
        received('ParameterStore: parameter names must be unique', 'name', spec.name),
      );
    }
    seen.add(spec.name);
    const size = sizeOf(spec.name, spec.shape);
    entries.push({ name: spec.name, shape: [...spec.shape], offset, size });
    offset += Math.ceil(size / PARAMETER_ALIGNMENT) * PARAMETER_ALIGNMENT;
  }
  return { entries, length: offset };
}

export class ParameterStore {
  readonly entries: readonly ParameterEntry[];
  /** Total floats, padding included. */
  readonly length: number;
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** Where the store starts in `buffer`. */
  readonly byteOffset: number;
  /** Every float of the store, padding included. */
  readonly data: Float32Array;
  private readonly byName: Map<string, ParameterEntry>;

  private constructor(description: ParameterStoreDescription) {
    this.entries = description.entries;
    this.length = description.length;
    this.buffer = description.buffer;
    this.byteOffset = description.byteOffset ?? 0;
    this.data = new Float32Array(description.buffer, this.byteOffset, description.length);
    this.byName = new Map(description.entries.map((e) => [e.name, e]));
  }

  /**
   * Allocates zeroed memory for the specs (shared unless `shared: false`), or places the
   * store in `memory` at `byteOffset` (a multiple of 64; the caller keeps those bytes
   * for it: `planLayout(specs).length` floats).
   */
  static create(
    specs: readonly ParameterSpec[],
    options: { shared?: boolean; memory?: SharedArrayBuffer; byteOffset?: number } = {},
  ): ParameterStore {
    const { entries, length } = planLayout(specs);
    const bytes = length * Float32Array.BYTES_PER_ELEMENT;
    if (options.memory !== undefined) {
      const byteOffset = options.byteOffset ?? 0;
      if (byteOffset % 64 !== 0 || byteOffset + bytes > options.memory.byteLength) {
        throw new ValueError(
          received(
            `ParameterStore.create: the store needs ${bytes} bytes at a multiple of 64 inside the given memory (${options.memory.byteLength} bytes)`,
            'byteOffset',
            byteOffset,
          ),
        );
      }
      return new ParameterStore({ entries, length, buffer: options.memory, byteOffset });
    }
    const buffer = options.shared === false ? new ArrayBuffer(bytes) : new SharedArrayBuffer(bytes);
    return new ParameterStore({ entries, length, buffer });
  }

  /** Re-attaches to the memory of a store described elsewhere (e.g. in another thread). */
  static attach(description: ParameterStoreDescription): ParameterStore {
    const { entries, length, buffer } = description;
    const byteOffset = description.byteOffset ?? 0;
    const needed = byteOffset + length * Float32Array.BYTES_PER_ELEMENT;
    if (
      !(buffer instanceof SharedArrayBuffer || buffer instanceof ArrayBuffer) ||
      buffer.byteLength < needed
    ) {
      throw new ValueError(
        received(
          `ParameterStore.attach: expected a buffer of at least ${needed} bytes`,
          'byteLength',
          buffer?.byteLength,
        ),
      );
    }
    const planned = planLayout(entries);
    planned.entries.forEach((e, i) => {
      if (e.offset !== entries[i]?.offset) {
        throw new ValueError(
          received(
            `ParameterStore.attach: offset of "${e.name}" does not match the layout`,
            'offset',
            entries[i]?.offset,
          ),
        );
      }
    });
    return new ParameterStore({ entries: planned.entries, length, buffer, byteOffset });
  }

  /** A structured-cloneable description: post it to a worker and `attach` there. */
  describe(): ParameterStoreDescription {
    return {
      entries: this.entries.map((e) => ({ ...e, shape: [...e.shape] })),
      length: this.length,
      buffer: this.buffer,
      byteOffset: this.byteOffset,
    };
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): ParameterEntry {
    const e = this.byName.get(name);
    if (e === undefined) {
      throw new NotFoundError(
        `ParameterStore: no parameter named "${name}". Known: ${this.names.join(', ') || '(none)'}`,
      );
    }
    return e;
  }

  /** A live view of one parameter's floats (no copy). */
  view(name: string): Float32Array {
    const e = this.entry(name);
    return new Float32Array(
      this.buffer,
      this.byteOffset + e.offset * Float32Array.BYTES_PER_ELEMENT,
      e.size,
    );
  }

  /**
   * A tensor over the live view (no copy): it sees later writes to the store. Never
   * pass it to an op that writes its input; tfjs kernels do not.
   */
  tensor(name: string): Tensor {
    const e = this.entry(name);
    return tf.tensor(this.view(name), e.shape, 'float32');
  }

  /** Copies `values` into the parameter (shapes must match by element count). */
  set(name: string, values: ArrayLike<number>): void {
    const view = this.view(name);
    if (values.length !== view.length) {
      throw new ShapeError(
        received(
          `ParameterStore.set: "${name}" holds ${view.length} values`,
          'length',
          values.length,
        ),
      );
    }
    view.set(values);
  }

  /** A plain-memory copy of every parameter, by name. */
  snapshot(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const e of this.entries) out[e.name] = this.view(e.name).slice();
    return out;
  }

  /** Restores values saved by `snapshot` (every name must be present). */
  restore(values: Record<string, ArrayLike<number>>): void {
    for (const e of this.entries) {
      const v = values[e.name];
      if (v === undefined)
        throw new NotFoundError(`ParameterStore.restore: missing values for "${e.name}"`);
      this.set(e.name, v);
    }
  }
}
