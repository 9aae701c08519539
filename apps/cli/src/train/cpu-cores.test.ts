import { describe, expect, it } from 'vitest';
import { oversubscribedWarning } from './cpu-cores.js';

describe('oversubscribedWarning', () => {
  it('is silent while the workers fit the cores, and one line beyond', () => {
    expect(oversubscribedWarning(1, 2)).toBeUndefined();
    expect(oversubscribedWarning(2, 2)).toBeUndefined();
    expect(oversubscribedWarning(99, 2)).toBe(
      'warning: --workers 99 is more than the 2 CPU core(s) of this machine; the workers take turns on them, so training is slower than with --workers 2',
    );
  });
});
