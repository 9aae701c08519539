import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunFolder, unusedRunFolder } from './files.js';

describe('the default run folder', () => {
  const now = new Date('2026-05-01T12:30:05.123Z');

  it('is runs/<timestamp>', () => {
    expect(defaultRunFolder(now)).toBe(join('runs', '2026-05-01T12-30-05'));
    expect(unusedRunFolder(now, () => false)).toBe(join('runs', '2026-05-01T12-30-05'));
  });

  it('gets a suffix when a run of the same second has it', () => {
    const taken = new Set([
      join('runs', '2026-05-01T12-30-05'),
      join('runs', '2026-05-01T12-30-05-2'),
    ]);
    expect(unusedRunFolder(now, (path) => taken.has(path))).toBe(
      join('runs', '2026-05-01T12-30-05-3'),
    );
  });
});
