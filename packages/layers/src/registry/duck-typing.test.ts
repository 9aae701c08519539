import { describe, expect, it } from 'vitest';
import { hasMembers } from './duck-typing.js';

const SHAPE = { className: 'string', apply: 'function' } as const;

describe('hasMembers', () => {
  it('accepts an object, plain or class-made, whose members have the given typeof', () => {
    expect(hasMembers({ className: 'L1', apply: () => 0, extra: 1 }, SHAPE)).toBe(true);
    class Widget {
      readonly className = 'Widget';
      apply(): number {
        return 1;
      }
    }
    expect(hasMembers(new Widget(), SHAPE)).toBe(true);
    expect(hasMembers({}, {})).toBe(true);
  });

  it('rejects a missing member or one of another type', () => {
    expect(hasMembers({ className: 'L1' }, SHAPE)).toBe(false);
    expect(hasMembers({ className: 3, apply: () => 0 }, SHAPE)).toBe(false);
    expect(hasMembers({ className: 'L1', apply: 'no' }, SHAPE)).toBe(false);
  });

  it('rejects null and non-objects, functions included', () => {
    for (const value of [null, undefined, 'L1', 7, true]) {
      expect(hasMembers(value, SHAPE), String(value)).toBe(false);
    }
    const fn = Object.assign(() => 0, { className: 'L1', apply: () => 0 });
    expect(hasMembers(fn, SHAPE)).toBe(false);
  });
});
