/**
 * Empties a worker thread's young generation between runs of steps, so that V8 never
 * scavenges a worker in the middle of an epoch's steps. The steps allocate nothing once
 * their code is optimized, but a worker's start-up (its modules, the model, the dataset)
 * leaves its young generation nearly full, and what the first steps allocate before V8
 * optimizes them (boxed numbers in baseline code) then tipped it over: `--trace-gc` showed
 * a scavenge in one worker during the first epoch of most `tessera train` runs, and every
 * step waits for both workers. A worker calls this when its step loop starts, at the end of
 * each rehearsal run and at the end of each evaluation task (worker.ts), where a collection
 * holds up no step.
 *
 * V8 collects on request only through its `gc` function, which it gives only to contexts
 * made while `--expose-gc` is set: the first call sets the flag (process-wide, and left
 * set: clearing it again could race another worker's first call) and takes the function
 * from a new context of this thread's isolate. Where V8 gives none, nothing is collected
 * here and training goes on as before.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Young-generation bytes in use above which `emptyYoungGeneration` collects. */
export const YOUNG_GENERATION_LIMIT = 256 * 1024;

type Collect = (options: { type: 'minor'; execution: 'sync' }) => void;

/** This thread's collector (one per isolate: module state is per thread); null: none. */
let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  }
  return collect;
}

/** Bytes in use in this thread's young generation (V8's new space). */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space') return space.space_used_size;
  }
  return 0;
}

/**
 * Collects this thread's young generation when more than `limit` bytes of it are in use
 * (twice: the first collection's survivors are promoted by the second). Returns whether it
 * collected.
 */
export function emptyYoungGeneration(limit: number = YOUNG_GENERATION_LIMIT): boolean {
  if (youngGenerationBytes() <= limit) return false;
  const gc = collector();
  if (gc === null) return false;
  gc({ type: 'minor', execution: 'sync' });
  if (youngGenerationBytes() > limit) gc({ type: 'minor', execution: 'sync' });
  return true;
}
