/**
 * A framed binary file: a fixed header, then a MessagePack body.
 *
 *   offset  size  field
 *   0       8     magic (ASCII, NUL-padded), says which kind of file this is
 *   8       2     format version (uint16, big-endian)
 *   10      2     reserved, must be 0
 *   12      4     CRC32 of the body (uint32, big-endian)
 *   16      8     body length in bytes (uint64, big-endian)
 *   24      n     body
 *
 * Every single-bit change is caught: in the magic, version or reserved field by their
 * checks, in the length by the size check, in the body or CRC by the CRC. Files are
 * written atomically: a temp file in the same folder, fsync, rename, fsync the folder,
 * so a crash leaves either the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { decode, encode } from './codec.js';
import { FormatError, IOError, received, ValueError } from './errors.js';

export const FRAME_HEADER_BYTES = 24;
const MAGIC_BYTES = 8;

/** Which kind of framed file, and which version this code writes and reads. */
export interface FrameFormat {
  /** 1 to 8 ASCII characters, e.g. `TSRCKPT`. */
  magic: string;
  /** The version written; files with a higher version are refused. */
  version: number;
  /** A name for messages, e.g. `checkpoint`. */
  kind?: string;
}

function magicBytes(format: FrameFormat): Uint8Array {
  if (!/^[\x20-\x7e]{1,8}$/.test(format.magic)) {
    throw new ValueError(
      received(
        'FrameFormat: magic must be 1 to 8 printable ASCII characters',
        'magic',
        format.magic,
      ),
    );
  }
  if (!Number.isInteger(format.version) || format.version < 1 || format.version > 0xffff) {
    throw new ValueError(
      received('FrameFormat: version must be an integer in [1, 65535]', 'version', format.version),
    );
  }
  const out = new Uint8Array(MAGIC_BYTES);
  for (let i = 0; i < format.magic.length; i++) out[i] = format.magic.charCodeAt(i);
  return out;
}

/** Header + body for a value. */
export function frame(value: unknown, format: FrameFormat): Uint8Array {
  const magic = magicBytes(format);
  const body = encode(value);
  const out = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  out.set(magic, 0);
  view.setUint16(8, format.version);
  view.setUint16(10, 0);
  view.setUint32(12, crc32(body));
  view.setBigUint64(16, BigInt(body.length));
  out.set(body, FRAME_HEADER_BYTES);
  return out;
}

/** Verifies header and checksum, then decodes the body. `source` names the file in errors. */
export function unframe<T = unknown>(bytes: Uint8Array, format: FrameFormat, source = 'data'): T {
  const kind = format.kind ?? format.magic;
  const magic = magicBytes(format);
  if (bytes.length < FRAME_HEADER_BYTES) {
    throw new FormatError(
      `${source}: not a ${kind} file: expected a header of ${FRAME_HEADER_BYTES} bytes, the file has ${bytes.length} bytes`,
    );
  }
  for (let i = 0; i < MAGIC_BYTES; i++) {
    if (bytes[i] !== magic[i]) {
      throw new FormatError(
        `${source}: not a ${kind} file (wrong magic bytes; expected "${format.magic}")`,
      );
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  const version = view.getUint16(8);
  if (version > format.version) {
    throw new FormatError(
      `${source}: ${kind} format version ${version} is newer than this Tessera reads (up to ${format.version}); upgrade Tessera`,
    );
  }
  if (version === 0)
    throw new FormatError(`${source}: ${kind} header is corrupt (format version 0)`);
  if (view.getUint16(10) !== 0)
    throw new FormatError(`${source}: ${kind} header is corrupt (reserved bits set)`);
  const expectedLength = view.getBigUint64(16);
  const actualLength = BigInt(bytes.length - FRAME_HEADER_BYTES);
  if (expectedLength !== actualLength) {
    throw new FormatError(
      `${source}: ${kind} file is truncated or padded: header says ${expectedLength} body bytes, found ${actualLength}`,
    );
  }
  const body = bytes.subarray(FRAME_HEADER_BYTES);
  const expectedCrc = view.getUint32(12);
  const actualCrc = crc32(body);
  if (expectedCrc !== actualCrc) {
    throw new FormatError(
      `${source}: ${kind} file is corrupt: checksum mismatch (expected CRC32 ${expectedCrc.toString(16)}, computed ${actualCrc.toString(16)})`,
    );
  }
  return decode<T>(body);
}

/** Writes bytes atomically: temp file beside the target, fsync, rename, fsync the folder. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    renamed = true;
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch (cause) {
    if (!renamed) await rm(tmp, { force: true }).catch(() => undefined);
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new IOError(`cannot write ${path}: ${code} (${(cause as Error).message})`, { cause });
  }
}

/** Frames a value and writes it atomically. */
export async function writeFramedFile(
  path: string,
  value: unknown,
  format: FrameFormat,
): Promise<void> {
  await writeFileAtomic(path, frame(value, format));
}

/** Reads and verifies a framed file; every fault is a FormatError or IOError naming the path. */
export async function readFramedFile<T = unknown>(path: string, format: FrameFormat): Promise<T> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? (cause as Error).message})`;
    throw new IOError(`${path}: ${what}`, { cause });
  }
  return unframe<T>(bytes, format, path);
}
