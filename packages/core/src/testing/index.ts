/**
 * `@tessera/core/testing`: test helpers the packages share (built, but never imported by
 * library code). Harnesses that need vitest stay in each package's own `src/testing/`.
 */
export type { TempFolder } from './temp-folder.js';
export { tempFolder } from './temp-folder.js';
