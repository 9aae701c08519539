/**
 * Seeded random numbers: xoshiro128** streams, each derived from a root seed and a
 * name, so that (say) weight initialisation and shuffling never disturb each other.
 * The whole state is a few integers, saved and restored exactly.
 *
 * ```ts
 * const rng = new Rng(42);
 * const order = rng.stream('shuffle').permutation(10);
 * const saved = rng.getState();        // later: Rng.fromState(saved)
 * ```
 */
import { received, ValueError } from './errors.js';

/** Saved state of one stream: the four 32-bit xoshiro words. */
export type StreamState = [number, number, number, number];

/** Saved state of an `Rng`: its seed and every stream drawn from so far. */
export interface RngState {
  seed: number;
  streams: Record<string, StreamState>;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over the name's UTF-16 units, then mixed with the seed. */
function hashName(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** splitmix32: spreads one 32-bit seed into well-mixed state words. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ValueError(received('Rng: seed must be an integer in [0, 2^32)', 'seed', seed));
  }
}

/** One independent stream of random numbers. */
export class RngStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: StreamState) {
    [this.s0, this.s1, this.s2, this.s3] = state;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new ValueError('RngStream: state must not be all zeros. Received: state=[0,0,0,0]');
    }
  }

  /** A stream seeded from one integer (and optionally a name). */
  static fromSeed(seed: number, name = ''): RngStream {
    checkSeed(seed);
    const mix = { x: hashName(seed, name) };
    return new RngStream([splitmix32(mix), splitmix32(mix), splitmix32(mix), splitmix32(mix)]);
  }

  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform double in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Normal deviate (Box–Muller; no cached spare, so the state stays four words). */
  normal(mean = 0, stddev = 1): number {
    const u1 = 1 - this.next(); // (0, 1]: log is finite
    const u2 = this.next();
    return mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new ValueError(received('RngStream.int: n must be an integer in [1, 2^32]', 'n', n));
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Fills `out` with uniform values in [min, max). */
  fillUniform(out: Float32Array, min = 0, max = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform(min, max);
    return out;
  }

  /** Fills `out` with normal deviates. */
  fillNormal(out: Float32Array, mean = 0, stddev = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, stddev);
    return out;
  }

  getState(): StreamState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }

  setState(state: StreamState): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((w) => Number.isInteger(w))) {
      throw new ValueError(received('RngStream: state must be 4 integers', 'state', state));
    }
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0) as StreamState;
  }
}

/** A root seed and its named streams. */
export class Rng {
  readonly seed: number;
  private readonly streams = new Map<string, RngStream>();

  constructor(seed: number) {
    checkSeed(seed);
    this.seed = seed;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed);
    rng.setState(state);
    return rng;
  }

  /** The stream with this name, created on first use from (seed, name). */
  stream(name: string): RngStream {
    let s = this.streams.get(name);
    if (s === undefined) {
      s = RngStream.fromSeed(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }

  getState(): RngState {
    const streams: Record<string, StreamState> = {};
    for (const [name, s] of this.streams) streams[name] = s.getState();
    return { seed: this.seed, streams };
  }

  setState(state: RngState): void {
    if (state.seed !== this.seed) {
      throw new ValueError(
        `Rng.setState: state belongs to seed ${state.seed}, this Rng has seed ${this.seed}. Received: seed=${state.seed}`,
      );
    }
    this.streams.clear();
    for (const [name, words] of Object.entries(state.streams)) {
      this.streams.set(name, new RngStream(words));
    }
  }
}
