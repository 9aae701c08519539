/**
 * The few WebAssembly JS-API members the kernels use, typed here because the project's
 * `lib` (ES2022, no DOM) does not declare the `WebAssembly` global that Node provides.
 */

/** A compiled module. */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory. */
export interface WasmMemory {
  /** The current bytes; replaced (the old one detached) when the memory grows. */
  readonly buffer: ArrayBuffer;
  /** Adds `pages` 64 KiB pages; throws RangeError past the maximum. */
  grow(pages: number): number;
}

/** An instance; `exports` is typed by the caller. */
export interface WasmInstance {
  readonly exports: object;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => WasmInstance;
  validate(bytes: Uint8Array): boolean;
}

/** Node's `WebAssembly` global. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
