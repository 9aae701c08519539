/**
 * Claim words: how the workers of a resident step share a step's chunks of work without a
 * lock. A claim word holds the step's ticket (high 16 bits) and the next chunk (low 16
 * bits); the first worker to claim in a step moves the ticket on. Compare-and-exchange,
 * so no chunk is lost or taken twice, and a step never takes a claim that belongs to the
 * next.
 *
 * A ticket is the run's sequence number (low 8 bits) then the step's place in the run (8
 * bits: a run has at most 256 steps). Within a run the tickets grow, so a worker that the
 * others left behind (they finished its step without it: step-channel.ts) finds a later
 * step's ticket in the word and takes nothing; a ticket of another run is an earlier run's,
 * since a run ends only when every worker finished it. Nothing allocates.
 */

/** The ticket of step `step` (0 … 255) of run `seq`. */
export function stepTicket(seq: number, step: number): number {
  return ((seq & 0xff) << 8) | (step & 0xff);
}

/** Whether `seen` is the ticket of a later step of the same run as `ticket`. */
export function laterStep(seen: number, ticket: number): boolean {
  return seen >>> 8 === ticket >>> 8 && (seen & 0xff) > (ticket & 0xff);
}

/**
 * The next of `chunks` chunks of the step `ticket` claimed with `words[word]`, or -1 when
 * all are taken (also when the word already belongs to a later step of the run).
 */
export function claimNext(words: Int32Array, word: number, ticket: number, chunks: number): number {
  for (;;) {
    const seen = Atomics.load(words, word);
    const owner = seen >>> 16;
    if (laterStep(owner, ticket)) return -1;
    const next = owner === ticket ? seen & 0xffff : 0;
    if (next >= chunks) return -1;
    const wanted = (ticket << 16) | (next + 1);
    if (Atomics.compareExchange(words, word, seen, wanted) === seen) return next;
  }
}

/** Counts one finished chunk of the step `ticket` in `words[word]`; returns how many are finished now. */
export function countFinished(words: Int32Array, word: number, ticket: number): number {
  for (;;) {
    const seen = Atomics.load(words, word);
    const done = (seen >>> 16 === ticket ? seen & 0xffff : 0) + 1;
    if (Atomics.compareExchange(words, word, seen, (ticket << 16) | done) === seen) return done;
  }
}

/**
 * How many chunks of the step `ticket` are counted finished in `words[word]` (see
 * countFinished), without counting one; Infinity once the word belongs to a later step
 * of the run (the step is over).
 */
export function finishedSoFar(words: Int32Array, word: number, ticket: number): number {
  const seen = Atomics.load(words, word);
  const owner = seen >>> 16;
  if (laterStep(owner, ticket)) return Number.POSITIVE_INFINITY;
  return owner === ticket ? seen & 0xffff : 0;
}

/**
 * Claim words of the resident step for `workers` workers: the row chunks' claims and their
 * count finished, each worker's update chunk's claim, the update chunks' count finished;
 * then, for the hidden-unit split (unit-split-stepper.ts), each worker's range's claim in
 * the gradient phase (whose finished blocks are counted in the row chunks' word, and whose
 * chunks of rows to finish are claimed with the row chunks' claim) and the count of those
 * chunks finished. The split's update phase claims each worker's range of blocks with
 * that worker's update-chunk word and counts its finished blocks in the update count.
 */
export function claimWordCount(workers: number): number {
  return 4 + 2 * workers;
}

/** The claim word of worker q's range in the hidden-unit split's gradient phase. */
export function rangeClaimWord(q: number, workers: number): number {
  return 3 + workers + q;
}

/** The word counting the hidden-unit split's finished chunks of rows. */
export function finishCountWord(workers: number): number {
  return 3 + 2 * workers;
}
