import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormatError, IOError } from './errors.js';
import {
  FRAME_HEADER_BYTES,
  frame,
  readFramedFile,
  unframe,
  writeFramedFile,
} from './framed-file.js';
import { RngStream } from './rng.js';

const format = { magic: 'TSRTEST', version: 2, kind: 'test' };
const value = {
  config: { className: 'Sequential', layers: [{ className: 'Dense', config: { units: 3 } }] },
  weights: [new Float32Array(64).map((_, i) => i / 7), new Float32Array([1, 2, 3])],
  step: 41,
  rng: { seed: 3, streams: { shuffle: [1, 2, 3, 4] } },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-frame-'));
});

describe('framed files', () => {
  it('round-trips through an atomic write and leaves no temp file', async () => {
    const path = join(dir, 'a.tsr');
    await writeFramedFile(path, value, format);
    expect(await readFramedFile(path, format)).toEqual(value);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await writeFramedFile(path, { ...value, step: 42 }, format);
    expect((await readFramedFile<typeof value>(path, format)).step).toBe(42);
  });

  it('starts with the documented header', () => {
    const bytes = frame(value, format);
    expect(new TextDecoder().decode(bytes.subarray(0, 7))).toBe('TSRTEST');
    const view = new DataView(bytes.buffer);
    expect(view.getUint16(8)).toBe(2);
    expect(Number(view.getBigUint64(16))).toBe(bytes.length - FRAME_HEADER_BYTES);
  });

  it('rejects a file truncated at 16 different lengths', () => {
    const bytes = frame(value, format);
    const lengths = new Set<number>([0, 1, 7, 8, 12, 16, 23, 24, 25, bytes.length - 1]);
    const rng = RngStream.fromSeed(5);
    while (lengths.size < 16) lengths.add(rng.int(bytes.length));
    for (const n of lengths) {
      expect(() => unframe(bytes.slice(0, n), format, 'cut.tsr'), `length ${n}`).toThrow(
        FormatError,
      );
      expect(() => unframe(bytes.slice(0, n), format, 'cut.tsr')).toThrow(
        /cut\.tsr: .*(header|truncated|magic)/,
      );
    }
  });

  it('rejects 200 random single-bit flips', () => {
    const bytes = frame(value, format);
    const rng = RngStream.fromSeed(6);
    for (let i = 0; i < 200; i++) {
      const bit = rng.int(bytes.length * 8);
      const bad = bytes.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => unframe(bad, format, 'flip.tsr'), `bit ${bit}`).toThrow(FormatError);
    }
  });

  it('names a wrong magic and a newer version in their own messages', () => {
    const bytes = frame(value, format);
    expect(() => unframe(bytes, { ...format, magic: 'OTHER' }, 'x.tsr')).toThrow(
      'x.tsr: not a test file (wrong magic bytes; expected "OTHER")',
    );
    expect(() => unframe(bytes, { ...format, version: 1 }, 'x.tsr')).toThrow(
      'x.tsr: test format version 2 is newer than this Tessera reads (up to 1); upgrade Tessera',
    );
    expect(unframe(frame(value, { ...format, version: 1 }), format)).toEqual(value);
  });

  it('reports checksum mismatches and missing files clearly', async () => {
    const path = join(dir, 'b.tsr');
    await writeFramedFile(path, value, format);
    const bytes = await readFile(path);
    bytes[bytes.length - 3]! ^= 0xff;
    await writeFile(path, bytes);
    await expect(readFramedFile(path, format)).rejects.toThrow(/checksum mismatch/);
    await expect(readFramedFile(join(dir, 'missing.tsr'), format)).rejects.toThrow(IOError);
    await expect(readFramedFile(join(dir, 'missing.tsr'), format)).rejects.toThrow(
      'file not found',
    );
  });

  it('fails with the path when the folder cannot be written, keeping the old file', async () => {
    const path = join(dir, 'missing-dir', 'c.tsr');
    await expect(writeFramedFile(path, value, format)).rejects.toThrow(
      `cannot write ${path}: ENOENT`,
    );
    if (process.getuid?.() === 0) return; // root ignores permission bits
    const ro = await mkdtemp(join(tmpdir(), 'tessera-ro-'));
    await writeFramedFile(join(ro, 'd.tsr'), value, format);
    await chmod(ro, 0o500);
    await expect(writeFramedFile(join(ro, 'd.tsr'), { step: 0 }, format)).rejects.toThrow(IOError);
    expect(await readFramedFile(join(ro, 'd.tsr'), format)).toEqual(value);
  });
});
