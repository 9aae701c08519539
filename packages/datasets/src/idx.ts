/**
 * The IDX file reader (the MNIST format), raw or gzipped, for unsigned-byte files:
 * labels (magic 0x00000801, one dimension) and images (magic 0x00000803, three).
 *
 * Layout: two zero bytes, a type byte (0x08 = unsigned byte), a byte holding the number of
 * dimensions, each dimension as a big-endian uint32, then the payload, whose length must
 * equal the product of the dimensions exactly. A raw file's payload is read straight into
 * one Uint8Array (optionally over a SharedArrayBuffer): no per-pixel JavaScript values.
 *
 * ```ts
 * const { dims, data } = readIdx('train-images-idx3-ubyte');   // dims [60000, 28, 28]
 * ```
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { FormatError, IOError, TesseraError } from '@tessera/core';
import { allocate } from './buffers.js';

/** Magic number of an IDX label file (unsigned bytes, one dimension). */
export const IDX_LABELS_MAGIC = 0x00000801;
/** Magic number of an IDX image file (unsigned bytes, three dimensions). */
export const IDX_IMAGES_MAGIC = 0x00000803;

/** Options for `readIdx`. */
export interface ReadIdxOptions {
  /** Put the payload in a SharedArrayBuffer (ready for worker threads). Default false. */
  shared?: boolean;
}

/** One parsed IDX file. */
export interface IdxFile {
  /** The path it was read from. */
  path: string;
  /** `IDX_LABELS_MAGIC` or `IDX_IMAGES_MAGIC`. */
  magic: number;
  /** Dimensions from the header, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The payload: prod(dims) bytes in row-major order. */
  data: Uint8Array;
  /** Whether the file was gzip-compressed. */
  gzipped: boolean;
}

interface Header {
  magic: number;
  dims: number[];
  headerBytes: number;
  payloadBytes: number;
}

function hex(magic: number): string {
  return `0x${magic.toString(16).padStart(8, '0')}`;
}

/** Parses and checks the header against the total length of the (decompressed) file. */
function parseHeader(head: Uint8Array, total: number, where: string): Header {
  if (total < 4) {
    throw new FormatError(
      `${where}: too short for an IDX header, which starts with a 4-byte magic number. Received: bytes=${total}`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== IDX_LABELS_MAGIC && magic !== IDX_IMAGES_MAGIC) {
    throw new FormatError(
      `${where}: wrong magic number; expected ${hex(IDX_LABELS_MAGIC)} (labels) or ${hex(IDX_IMAGES_MAGIC)} (images). Received: magic=${hex(magic)}`,
    );
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (total < headerBytes) {
    throw new FormatError(
      `${where}: truncated header; ${rank} dimension(s) need a ${headerBytes}-byte header. Received: bytes=${total}`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dim = view.getUint32(4 + 4 * i, false);
    if (dim === 0)
      throw new FormatError(
        `${where}: dimension ${i} is 0; every dimension must be positive. Received: dims[${i}]=0`,
      );
    dims.push(dim);
  }
  const payloadBytes = dims.reduce((a, b) => a * b, 1);
  const found = total - headerBytes;
  const shape = dims.join('×');
  if (found < payloadBytes) {
    throw new FormatError(
      `${where}: truncated payload; dimensions ${shape} need ${payloadBytes} data bytes after the ${headerBytes}-byte header. Received: bytes=${found}`,
    );
  }
  if (found > payloadBytes) {
    throw new FormatError(
      `${where}: ${found - payloadBytes} unexpected bytes after the payload; dimensions ${shape} need ${payloadBytes} data bytes. Received: bytes=${found}`,
    );
  }
  return { magic, dims, headerBytes, payloadBytes };
}

function readFully(fd: number, target: Uint8Array, position: number, where: string): void {
  let done = 0;
  while (done < target.length) {
    const n = readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) {
      throw new FormatError(
        `${where}: the file ended early (changed while being read?). Received: bytes=${position + done}`,
      );
    }
    done += n;
  }
}

function readGzipped(path: string, shared: boolean): IdxFile {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(readFileSync(path));
  } catch (cause) {
    throw new FormatError(`${path}: not a valid gzip file: ${(cause as Error).message}`, { cause });
  }
  const where = `${path} (after gunzip)`;
  const header = parseHeader(bytes.subarray(0, 16), bytes.length, where);
  let data = new Uint8Array(
    bytes.buffer,
    bytes.byteOffset + header.headerBytes,
    header.payloadBytes,
  );
  if (shared) {
    const copy = allocate('uint8', data.length, true);
    copy.set(data);
    data = copy;
  }
  return { path, magic: header.magic, dims: header.dims, data, gzipped: true };
}

/** Reads and validates one IDX file, raw or gzipped (detected from its first bytes). */
export function readIdx(path: string, options: ReadIdxOptions = {}): IdxFile {
  const shared = options.shared === true;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new IOError(`readIdx: cannot open ${path}: ${(cause as Error).message}`, { cause });
  }
  let gzipped = false;
  try {
    const total = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(total, 16));
    readFully(fd, head, 0, path);
    gzipped = head[0] === 0x1f && head[1] === 0x8b;
    if (!gzipped) {
      const header = parseHeader(head, total, path);
      const data = allocate('uint8', header.payloadBytes, shared);
      readFully(fd, data, header.headerBytes, path);
      return { path, magic: header.magic, dims: header.dims, data, gzipped };
    }
  } catch (cause) {
    if (cause instanceof TesseraError) throw cause;
    throw new IOError(`readIdx: cannot read ${path}: ${(cause as Error).message}`, { cause });
  } finally {
    closeSync(fd);
  }
  return readGzipped(path, shared);
}
