/**
 * Adds where a lookup happened to the error it throws, keeping the error's class (and
 * so its `code`), e.g. 'Dense: kernelInitializer: Unknown initializer … Received: …'.
 */
import { TesseraError } from '@tessera/core';

/**
 * Runs a registry lookup; a TesseraError it throws comes back with `where` in front
 * ('Dense: kernelInitializer: Unknown initializer …'), same class, original as cause.
 */
export function inContext<T>(where: string, lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    if (error instanceof TesseraError) {
      const Kind = error.constructor as new (
        message: string,
        options: { cause: unknown },
      ) => TesseraError;
      throw new Kind(`${where}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
