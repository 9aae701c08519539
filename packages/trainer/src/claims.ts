/**
 * Claim words: how the workers of a resident step share a step's chunks of work without a
 * lock. A claim word holds the step's ticket (high 16 bits) and the next chunk (low 16
 * bits); the first worker to claim in a step moves the ticket on. Compare-and-exchange,
 * so no chunk is lost or taken twice, and a step never takes a claim that belongs to the
 * next. Nothing allocates.
 */

/** The next of `chunks` chunks of the step `ticket` claimed with `words[word]`, or -1 when all are taken. */
export function claimNext(words: Int32Array, word: number, ticket: number, chunks: number): number {
  for (;;) {
    const seen = Atomics.load(words, word);
    const fresh = seen >>> 16 !== ticket;
    const next = fresh ? 0 : seen & 0xffff;
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
