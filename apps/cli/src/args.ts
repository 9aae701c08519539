/**
 * Parsers for option values. Each throws commander's InvalidArgumentError, which commander
 * turns into `error: option '--epochs <E>' argument '0' is invalid. Expected …` — a line
 * that names the option and the value received.
 */
import { InvalidArgumentError } from 'commander';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A whole number ≥ 1 (epochs, batch size, workers). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('Expected a positive integer.');
  }
  return n;
}

/** A seed: a whole number in [0, 2^32). */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
    throw new InvalidArgumentError('Expected an integer in [0, 4294967295].');
  }
  return n;
}

/** A finite number > 0 (learning rate). */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!NUMBER.test(value.trim()) || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('Expected a number greater than 0.');
  }
  return n;
}

/** A fraction in [0, 1) (validation split). */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (!NUMBER.test(value.trim()) || !(n >= 0 && n < 1)) {
    throw new InvalidArgumentError('Expected a number in [0, 1).');
  }
  return n;
}

/** A parser of a path option (`what`: "file" or "folder") that refuses an empty value. */
export function parsePath(what: 'file' | 'folder'): (value: string) => string {
  return (value: string): string => {
    if (value.trim() === '')
      throw new InvalidArgumentError(`Expected a ${what} path; the value is empty.`);
    return value;
  };
}

/** A parser accepting one of `choices` exactly. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`Expected one of: ${choices.join(', ')}.`);
    }
    return value as T;
  };
}

/** A TCP port: 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!INTEGER.test(value.trim()) || !Number.isSafeInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('Expected a port number in [0, 65535] (0: any free port).');
  }
  return n;
}
