/**
 * The hidden kernel's layout during a run split by hidden units (unit-split-stepper.ts).
 * Between runs the store holds every kernel row-major, as the model, callbacks,
 * checkpoints and evaluation read it. During a run, in both copies of the state, the hidden
 * kernel and its optimizer state (each slot's region of it) are block-major: the columns
 * of block b (UNIT_BLOCK of them from c0 = b·UNIT_BLOCK) as one features × UNIT_BLOCK block
 * at element c0·features of the kernel.
 *
 * Why: two cores writing the two halves of every 512-byte row of a row-major 784×128 kernel
 * slow each other down several times, though no byte is written by both — each core's
 * prefetchers fetch the lines beside its own, which the other core then has to take back.
 * Block-major, each worker's blocks are one contiguous stretch.
 * Adam over half the kernel's columns took 127–145 µs a step on each of two threads
 * writing at once, 38 µs on one alone, and 28 µs over a contiguous half (2026-12-08).
 *
 * The main thread converts copy 0 (the store) before a run is posted and back when it is
 * over, whatever way it ended: every step reads and writes block-major, and the copy that
 * holds the state afterwards is copy 0 (alternation.ts).
 */
import type { ResidentKernels } from '@tessera/core';
import { UNIT_BLOCK, type UnitSplitShape } from '@tessera/layers';
import type { SharedTrainingState } from './shared-state.js';

export class UnitSplitLayout {
  /** Whether copy 0 is block-major now (between `enter` and `leave`). */
  private inside = false;

  constructor(
    private readonly state: SharedTrainingState,
    private readonly kernels: ResidentKernels,
    private readonly shape: UnitSplitShape,
    /** Element offset of the hidden kernel in the parameter vector. */
    private readonly kernel: number,
    /** Byte offset of a features × hidden float scratch region. */
    private readonly temp: number,
  ) {}

  /** Row-major → block-major, in copy 0 (before a run). */
  enter(): void {
    if (!this.inside) this.convert(true);
  }

  /** Block-major → row-major, in copy 0 (once a run is over). */
  leave(): void {
    if (this.inside) this.convert(false);
  }

  /**
   * Rearranges the hidden kernel's region of each array of copy 0 the step updates (the
   * weights, then every optimizer slot) through the scratch: into blocks, or back.
   */
  private convert(toBlocks: boolean): void {
    const k = this.kernels.raw;
    const { features, hidden } = this.shape;
    for (let i = 0; i <= this.state.slotCount; i++) {
      const at = this.state.copyOffset(0, i) + this.kernel * 4;
      k.copyBytes(this.temp, at, features * hidden * 4);
      for (let c0 = 0; c0 < hidden; c0 += UNIT_BLOCK) {
        const block = features * c0 * 4;
        if (toBlocks) k.packColumns(this.temp, features, hidden, c0, c0 + UNIT_BLOCK, at + block);
        else k.placeColumns(this.temp + block, features, UNIT_BLOCK, at, hidden, c0);
      }
    }
    this.inside = toBlocks;
  }
}
