/**
 * `@tessera/layers/testing`: test helpers other packages share (built, but never imported
 * by library code). The harnesses next to this file that need vitest stay unexported.
 */
export type { CallbackRecorder, RecordedCall } from './callback-recorder.js';
export { callbackRecorder } from './callback-recorder.js';
