/**
 * The collective exchange of the workers inside a step: an all-reduce of a few float64
 * values per worker through shared memory, for what a shard cannot compute alone (the
 * global batch's BatchNormalization statistics, the count of rows a loss keeps, the norms
 * of the whole summed gradient). The living description is docs/architecture.md.
 *
 * An exchange is among participants 0 … P-1 (the step's shards, or all workers); each P
 * has its own group: two int32 words COUNT and GEN, then float64 blocks, two parities × P
 * participants × capacity. Block (p, i) of a group is written only by worker i, during an
 * exchange of that group whose generation has parity p. Every participant of a group
 * makes the group's exchanges in the same order with the same lengths, so they form one
 * sequence among exactly those workers, whatever the other groups do meanwhile (a worker
 * left out of one step's gradient phase may already wait in the next phase's exchange).
 *
 * One exchange of group P:
 *   worker i reads g = GEN, writes its values into block (g & 1, i), then adds 1 to COUNT.
 *            The participant whose add completes P stores COUNT = 0, then GEN = g + 1, and
 *            notifies GEN; every other one waits until GEN differs from g (polling
 *            briefly, then sleeping on it, leaving at once when the abort word is set).
 *   then     each participant adds blocks (g & 1, 0 … P-1) in worker order, so every one
 *            of them gets the same bits, and a given worker count gives the same bits
 *            every run.
 * GEN moves only once all P arrived, so nobody starts exchange g + 1 before everybody
 * wrote into g; and since exchange g + 2 uses g's parity again, it starts only once every
 * participant left g + 1, after it finished reading g's blocks. Two parities are
 * therefore enough. COUNT is reset before GEN moves, so the next exchange counts from 0.
 * One participant (P = 1) needs no memory: its values are the sum.
 *
 * WAITING[i] (an int32 word per worker, written only by worker i) is 1 while worker i waits
 * for the others of an exchange: when a step times out, the main thread names a worker
 * that is not waiting there (the one the others wait for), not one of those waiting.
 *
 * An exchange longer than `capacity` values runs as several rounds of at most `capacity`.
 */
import { received, StateError, ValueError } from '@tessera/core';
import type { BatchExchange } from '@tessera/layers';

/** Offsets of a group's words. */
const COUNT = 0;
const GEN = 1;
/** Polls of GEN before a participant sleeps on it (see waiting.ts's SPIN_LOADS). */
const SPIN_LOADS = 1_000;
/** How long a participant sleeps before it looks at the abort word again (aborts are also notified). */
const RECHECK_MS = 250;
/** Most bytes `collectiveCapacity` lets the exchange take (rounds make up for a smaller capacity). */
const BUDGET_BYTES = 8 * 1024 * 1024;

/** What a worker needs to attach to the exchange (plain data, sent once). */
export interface CollectiveDescription {
  buffer: SharedArrayBuffer;
  workers: number;
  /** Float64 values each worker contributes per round. */
  capacity: number;
}

/** Where the abort word is: a participant leaves its wait once `words[index]` is nonzero. */
export interface AbortWord {
  words: Int32Array;
  index: number;
}

/** Participant slots over the groups P = 2 … workers: the sum of their P. */
function slots(workers: number): number {
  return (workers * (workers + 1)) / 2 - 1;
}

/** Index of worker i's WAITING word: after the groups' COUNT and GEN words. */
function waitingWord(workers: number, worker: number): number {
  return 2 * (workers - 1) + worker;
}

/** Bytes of the int32 words (every group's two, then one per worker), padded to 8. */
function wordBytes(workers: number): number {
  return Math.ceil((waitingWord(workers, workers) * 4) / 8) * 8;
}

/** Bytes of the exchange's memory for `workers` workers of `capacity` values each. */
export function collectiveBytes(workers: number, capacity: number): number {
  return wordBytes(workers) + 2 * slots(workers) * capacity * 8;
}

/** `wanted` values per round, or fewer when that would take more than the exchange's budget. */
export function collectiveCapacity(workers: number, wanted: number): number {
  const most = Math.floor(
    (BUDGET_BYTES - wordBytes(workers)) / (2 * Math.max(1, slots(workers)) * 8),
  );
  return Math.max(1, Math.min(wanted, most));
}

/** An all-reduce among the workers (see the module comment). */
export class Collective {
  readonly workers: number;
  readonly capacity: number;
  private readonly words: Int32Array;
  private readonly blocks: Float64Array;
  private readonly buffer: SharedArrayBuffer;

  private constructor(
    d: CollectiveDescription,
    private readonly abort: AbortWord,
  ) {
    this.workers = d.workers;
    this.capacity = d.capacity;
    this.buffer = d.buffer;
    const words = wordBytes(d.workers);
    this.words = new Int32Array(d.buffer, 0, words / 4);
    this.blocks = new Float64Array(d.buffer, words, 2 * slots(d.workers) * d.capacity);
  }

  /** New memory for `workers` workers, each contributing up to `capacity` values per round. */
  static create(workers: number, capacity: number, abort: AbortWord): Collective {
    if (!Number.isInteger(workers) || workers < 1) {
      throw new ValueError(
        received('Collective: workers must be a positive integer', 'workers', workers),
      );
    }
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ValueError(
        received('Collective: capacity must be a positive integer', 'capacity', capacity),
      );
    }
    const buffer = new SharedArrayBuffer(collectiveBytes(workers, capacity));
    return new Collective({ buffer, workers, capacity }, abort);
  }

  /** The same exchange in another thread. */
  static attach(d: CollectiveDescription, abort: AbortWord): Collective {
    return new Collective(d, abort);
  }

  describe(): CollectiveDescription {
    return { buffer: this.buffer, workers: this.workers, capacity: this.capacity };
  }

  /**
   * Worker `worker`, one of participants 0 … `participants`-1: replaces `values[0, length)`
   * by their sum over the participants, added in worker order. Returns false (values then
   * undefined) as soon as the abort word is set. Allocates nothing.
   */
  sum(worker: number, participants: number, values: Float64Array, length = values.length): boolean {
    if (
      !(Number.isInteger(participants) && participants >= 1 && participants <= this.workers) ||
      !(Number.isInteger(worker) && worker >= 0 && worker < participants)
    ) {
      throw new StateError(
        `Collective: worker ${worker} is not one of ${participants} participants (of ${this.workers} workers)`,
      );
    }
    if (participants === 1) return Atomics.load(this.abort.words, this.abort.index) === 0;
    for (let at = 0; at < length; at += this.capacity) {
      if (!this.round(worker, participants, values, at, Math.min(length, at + this.capacity))) {
        return false;
      }
    }
    return true;
  }

  /** Main thread: whether worker `worker` is waiting for the others in an exchange now. */
  waiting(worker: number): boolean {
    return Atomics.load(this.words, waitingWord(this.workers, worker)) !== 0;
  }

  /** Main thread: wakes every participant waiting (call after setting the abort word). */
  wake(): void {
    for (let p = 2; p <= this.workers; p++) Atomics.notify(this.words, 2 * (p - 2) + GEN);
  }

  /** One round over values[from, to) (at most `capacity` values) in group `participants`. */
  private round(
    worker: number,
    participants: number,
    values: Float64Array,
    from: number,
    to: number,
  ): boolean {
    const words = this.words;
    const count = 2 * (participants - 2) + COUNT;
    const gen = 2 * (participants - 2) + GEN;
    const g = Atomics.load(words, gen);
    const capacity = this.capacity;
    // The group's blocks follow those of groups 2 … participants-1; then this parity's.
    const base = (2 * slots(participants - 1) + (g & 1) * participants) * capacity;
    const blocks = this.blocks;
    const own = base + worker * capacity - from;
    for (let i = from; i < to; i++) blocks[own + i] = values[i]!;
    if (Atomics.add(words, count, 1) + 1 === participants) {
      Atomics.store(words, count, 0);
      Atomics.store(words, gen, (g + 1) | 0);
      Atomics.notify(words, gen);
    } else {
      const waiting = waitingWord(this.workers, worker);
      Atomics.store(words, waiting, 1);
      const passed = this.waitPast(gen, g);
      Atomics.store(words, waiting, 0);
      if (!passed) return false;
    }
    for (let i = from; i < to; i++) {
      let acc = blocks[base - from + i]!;
      for (let k = 1; k < participants; k++) acc += blocks[base + k * capacity - from + i]!;
      values[i] = acc;
    }
    return true;
  }

  /** Blocks until words[gen] is no longer `g`; false as soon as the abort word is set. */
  private waitPast(gen: number, g: number): boolean {
    const words = this.words;
    const { words: abortWords, index } = this.abort;
    for (let i = 0; i < SPIN_LOADS; i++) {
      if (Atomics.load(words, gen) !== g) return Atomics.load(abortWords, index) === 0;
    }
    for (;;) {
      if (Atomics.load(abortWords, index) !== 0) return false;
      if (Atomics.load(words, gen) !== g) return true;
      Atomics.wait(words, gen, g, RECHECK_MS);
    }
  }
}

/** Thrown inside a step when the exchange was aborted (another worker failed): the loop leaves. */
export class ExchangeAborted extends Error {
  constructor() {
    super('the step was aborted while this worker waited for the others in an exchange');
    this.name = 'ExchangeAborted';
  }
}

/**
 * One worker's end of the exchange as @tessera/layers' steps call it (`BatchExchange`):
 * among the first `participants` workers (the step's shards, or every worker in the update
 * phase). Set `participants` before each phase; reused, so a step allocates nothing here.
 */
export class WorkerExchange implements BatchExchange {
  participants = 1;

  constructor(
    private readonly collective: Collective,
    readonly worker: number,
  ) {}

  sum(values: Float64Array): void {
    if (!this.collective.sum(this.worker, this.participants, values)) throw new ExchangeAborted();
  }
}
