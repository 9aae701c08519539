import { NotFoundError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { NameTable } from './name-table.js';

function table(): NameTable<number> {
  const t = new NameTable<number>({ kind: 'widget', aliasHint: ' (or an alias)' });
  t.add(['first_one', 'firstOne', 'FirstOne'], 1);
  t.add(['second'], 2);
  return t;
}

describe('NameTable', () => {
  it('finds a value under every spelling and lists only the first', () => {
    const t = table();
    expect(t.get('first_one')).toBe(1);
    expect(t.get('firstOne')).toBe(1);
    expect(t.get('FirstOne')).toBe(1);
    expect(t.find('nope')).toBeUndefined();
    expect(t.has('second')).toBe(true);
    expect(t.names()).toEqual(['first_one', 'second']);
  });

  it('names the unknown key and lists the known names', () => {
    expect(() => table().get('thrid')).toThrow(NotFoundError);
    expect(() => table().get('thrid')).toThrow(
      'Unknown widget "thrid": expected one of first_one, second (or an alias). Received: widget="thrid"',
    );
  });

  it('refuses a taken spelling unless override is set, and then keeps other spellings', () => {
    const t = table();
    expect(() => t.add(['firstOne'], 9)).toThrow(ValueError);
    expect(t.get('firstOne')).toBe(1);
    t.add(['firstOne'], 9, { override: true });
    expect(t.get('firstOne')).toBe(9);
    expect(t.get('first_one')).toBe(1);
    expect(t.names()).toEqual(['first_one', 'firstOne', 'second']);
  });

  it('reports a name for a value, preferring the listed one, else a surviving alias', () => {
    const t = table();
    expect(t.nameOf(1)).toBe('first_one');
    expect(t.nameOf(3)).toBeUndefined();
    t.add(['first_one'], 7, { override: true });
    expect(t.nameOf(1)).toBe('firstOne');
    expect(t.nameOf(7)).toBe('first_one');
  });

  it('rejects empty or padded names and an empty name list', () => {
    const t = table();
    expect(() => t.add([''], 3)).toThrow(ValueError);
    expect(() => t.add(['x '], 3)).toThrow(/non-empty string without surrounding spaces/);
    expect(() => t.add([], 3)).toThrow(ValueError);
  });
});
