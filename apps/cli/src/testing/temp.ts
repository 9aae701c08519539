/** Temporary folders for tests: the one helper of `@tessera/core/testing`, with the CLI's prefix. */
import { tempFolder as coreTempFolder, type TempFolder } from '@tessera/core/testing';

/** A fresh temp folder and helpers to put files in it; `cleanup()` removes it. */
export function tempFolder(prefix = 'tessera-cli-'): TempFolder {
  return coreTempFolder(prefix);
}
