import { describe, expect, it } from 'vitest';
import { decode, encode } from './codec.js';
import { FormatError } from './errors.js';

describe('codec', () => {
  it('round-trips nested objects with typed arrays kept typed', () => {
    const value = {
      name: 'ckpt',
      step: 12,
      nested: {
        weights: [new Float32Array([1.5, -2, 3.25]), new Int32Array([-7, 8])],
        bytes: new Uint8Array([0, 255]),
      },
      list: [1, 'two', null, true],
    };
    const back = decode<typeof value>(encode(value));
    expect(back).toEqual(value);
    expect(back.nested.weights[0]).toBeInstanceOf(Float32Array);
    expect(back.nested.weights[1]).toBeInstanceOf(Int32Array);
    expect(back.nested.bytes).toBeInstanceOf(Uint8Array);
  });

  it('copies views over shared memory instead of dropping them', () => {
    const shared = new Float32Array(new SharedArrayBuffer(16));
    shared.set([1, 2, 3, 4]);
    const back = decode<{ w: Float32Array }>(encode({ w: shared.subarray(1, 3) }));
    expect(back.w).toBeInstanceOf(Float32Array);
    expect(Array.from(back.w)).toEqual([2, 3]);
  });

  it('keeps float32 values bit for bit', () => {
    const w = new Float32Array([Math.PI, 1e-38, -0, Number.NaN, Number.POSITIVE_INFINITY]);
    const back = decode<Float32Array>(encode(w));
    expect(new Uint32Array(back.buffer, back.byteOffset, back.length)).toEqual(
      new Uint32Array(w.buffer),
    );
  });

  it('rejects bytes that are not MessagePack', () => {
    expect(() => decode(new Uint8Array([0x92, 0x01]))).toThrow(FormatError);
    expect(() => decode(new Uint8Array([0xa5, 0x61]))).toThrow(
      'codec: bytes are not valid MessagePack',
    );
  });
});
