import { FormatError, IOError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdx } from './idx.js';
import { gzip, idxBytes } from './testing/idx-bytes.js';

const scratch = tempFolder('tessera-datasets-');
afterAll(() => scratch.cleanup());

// Two 2×3 images and their labels, written by hand from the format's definition.
const pixels = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
const images = idxBytes(0x00000803, [2, 2, 3], pixels);
const labels = idxBytes(0x00000801, [2], [7, 1]);

describe('readIdx', () => {
  it('reads a raw image file: magic, big-endian dims and payload', () => {
    const path = scratch.file('images-idx3-ubyte', images);
    const file = readIdx(path);
    expect(file.magic).toBe(0x803);
    expect(file.dims).toEqual([2, 2, 3]);
    expect(Array.from(file.data)).toEqual(pixels);
    expect(file.gzipped).toBe(false);
    expect(file.path).toBe(path);
  });

  it('reads dimensions above 255 as big-endian (not one byte)', () => {
    const path = scratch.file(
      'long-labels',
      idxBytes(0x801, [300], new Array<number>(300).fill(4)),
    );
    const file = readIdx(path);
    expect(file.dims).toEqual([300]);
    expect(file.data.length).toBe(300);
  });

  it('reads gzipped files, detected from their first bytes', () => {
    const path = scratch.file('labels-idx1-ubyte.gz', gzip(labels));
    const file = readIdx(path);
    expect(file.gzipped).toBe(true);
    expect(file.dims).toEqual([2]);
    expect(Array.from(file.data)).toEqual([7, 1]);
    const unnamed = scratch.file('no-extension', gzip(images));
    expect(Array.from(readIdx(unnamed).data)).toEqual(pixels);
  });

  it('puts the payload in a SharedArrayBuffer on request, raw or gzipped', () => {
    const raw = readIdx(scratch.file('shared-raw', images), { shared: true });
    const gz = readIdx(scratch.file('shared.gz', gzip(images)), { shared: true });
    expect(raw.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(gz.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(gz.data)).toEqual(pixels);
  });

  it('rejects a wrong magic number, naming the file and the magic found', () => {
    const path = scratch.file('bad-magic', idxBytes(0x00000802, [2, 2], [1, 2, 3, 4]));
    expect(() => readIdx(path)).toThrow(FormatError);
    expect(() => readIdx(path)).toThrow(
      `${path}: wrong magic number; expected 0x00000801 (labels) or 0x00000803 (images). Received: magic=0x00000802`,
    );
    const png = scratch.file(
      'picture.png',
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
    );
    expect(() => readIdx(png)).toThrow('Received: magic=0x89504e47');
  });

  it('rejects a truncated payload with the sizes expected and found', () => {
    const path = scratch.file('truncated', images.subarray(0, images.length - 5));
    expect(() => readIdx(path)).toThrow(
      `${path}: truncated payload; dimensions 2×2×3 need 12 data bytes after the 16-byte header. Received: bytes=7`,
    );
    const gz = scratch.file('truncated-payload.gz', gzip(images.subarray(0, images.length - 1)));
    expect(() => readIdx(gz)).toThrow(`${gz} (after gunzip): truncated payload`);
  });

  it('rejects trailing bytes, a short header, a too-short file and a zero dimension', () => {
    const extra = scratch.file('extra', Uint8Array.from([...images, 9, 9]));
    expect(() => readIdx(extra)).toThrow('2 unexpected bytes after the payload');
    const header = scratch.file('short-header', images.subarray(0, 10));
    expect(() => readIdx(header)).toThrow(
      `${header}: truncated header; 3 dimension(s) need a 16-byte header. Received: bytes=10`,
    );
    const tiny = scratch.file('tiny', Uint8Array.from([0, 0]));
    expect(() => readIdx(tiny)).toThrow(`${tiny}: too short for an IDX header`);
    const zero = scratch.file('zero-dim', idxBytes(0x803, [0, 28, 28], []));
    expect(() => readIdx(zero)).toThrow('dimension 0 is 0');
  });

  it('rejects corrupt gzip and missing files with the path', () => {
    const gz = gzip(labels);
    const broken = scratch.file('broken.gz', gz.subarray(0, gz.length - 6));
    expect(() => readIdx(broken)).toThrow(`${broken}: not a valid gzip file`);
    const missing = `${scratch.dir}/nope-idx1-ubyte`;
    expect(() => readIdx(missing)).toThrow(IOError);
    expect(() => readIdx(missing)).toThrow(`readIdx: cannot open ${missing}`);
    expect(() => readIdx(scratch.dir)).toThrow(`readIdx: cannot read ${scratch.dir}`);
  });
});
