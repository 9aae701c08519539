/**
 * One error family for the whole project. Every error has a stable `code` so callers
 * (the CLI above all) can tell bad input from internal faults without parsing text.
 * Messages follow the Keras form: what was expected, then `Received: name=value`.
 */
export type ErrorCode =
  | 'VALUE_ERROR'
  | 'SHAPE_ERROR'
  | 'NOT_FOUND'
  | 'FORMAT_ERROR'
  | 'IO_ERROR'
  | 'STATE_ERROR'
  | 'WORKER_ERROR'
  | 'ABORTED';

/** Base class: `err.code` says which kind; `err.userError` says whether bad input caused it. */
export class TesseraError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
  /** True when the caller's input, not a bug in Tessera, caused the error. */
  get userError(): boolean {
    return this.code !== 'STATE_ERROR' && this.code !== 'WORKER_ERROR';
  }
}

/** A bad argument or configuration value. */
export class ValueError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('VALUE_ERROR', message, options);
  }
}

/** Tensor or input shapes that do not fit. */
export class ShapeError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SHAPE_ERROR', message, options);
  }
}

/** An unknown name: layer, activation, dataset, registered function. */
export class NotFoundError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', message, options);
  }
}

/** A file or message whose bytes are not what the format says. */
export class FormatError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FORMAT_ERROR', message, options);
  }
}

/** A file-system failure, with the path. */
export class IOError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO_ERROR', message, options);
  }
}

/** Something used in the wrong state (closed pool, unbuilt model). */
export class StateError extends TesseraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STATE_ERROR', message, options);
  }
}

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Formats a value for `Received: name=value`, short enough for one line. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return shorten(JSON.stringify(value));
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return String(value); // NaN and Infinity, which JSON would print as null
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return shorten(text);
  } catch {
    return String(value);
  }
}

/** `"<what was expected>. Received: name=value"` */
export function received(expected: string, name: string, value: unknown): string {
  return `${expected}. Received: ${name}=${formatValue(value)}`;
}
