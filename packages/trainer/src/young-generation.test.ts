import { describe, expect, it } from 'vitest';
import {
  emptyYoungGeneration,
  YOUNG_GENERATION_LIMIT,
  youngGenerationBytes,
} from './young-generation.js';

/** Keeps `count` small objects alive until the caller drops the array. */
function allocate(count: number): { i: number; s: string }[] {
  const kept: { i: number; s: string }[] = [];
  for (let i = 0; i < count; i++) kept.push({ i, s: `row ${i}` });
  return kept;
}

describe('emptyYoungGeneration', () => {
  it('collects a young generation in use past the limit, down to the limit', () => {
    allocate(20_000);
    expect(youngGenerationBytes()).toBeGreaterThan(YOUNG_GENERATION_LIMIT);
    expect(emptyYoungGeneration()).toBe(true);
    expect(youngGenerationBytes()).toBeLessThanOrEqual(YOUNG_GENERATION_LIMIT);
  });

  it('keeps what is still referenced', () => {
    const kept = allocate(20_000);
    expect(emptyYoungGeneration()).toBe(true);
    expect(kept).toHaveLength(20_000);
    expect(kept[19_999]).toEqual({ i: 19_999, s: 'row 19999' });
  });

  it('does nothing while the young generation is within the limit', () => {
    emptyYoungGeneration(0);
    const before = youngGenerationBytes();
    expect(emptyYoungGeneration(before + 1024 * 1024)).toBe(false);
  });
});
