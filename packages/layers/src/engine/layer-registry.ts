/**
 * Layer classes by the `className` saved in configs. Built-in layers and models are
 * registered in one place (`layers/builtins.ts`); users add custom layer classes with
 * `registerLayer(MyLayer)` before loading a model that uses them. Loading never
 * evaluates code from a file: a config can only name classes registered here.
 */
import { FormatError, received, ValueError } from '@tessera/core';
import { NameTable } from '../registry/name-table.js';
import type { Arity } from './call-context.js';
import type { Layer, LayerClass, SerializedLayer } from './layer.js';

const table = new NameTable<LayerClass>({
  kind: 'layer class',
  receivedAs: 'className',
  aliasHint: '; register custom layers with registerLayer(Class) before loading',
});

/** Options of `registerLayer`. */
export interface RegisterLayerOptions {
  /** Name to register under (default: the class's static `className`). */
  name?: string;
  /** Replace a different class already registered under that name (default false). */
  override?: boolean;
}

/**
 * Makes a layer class loadable by its `className`. Registering the same class twice is
 * harmless; taking a name another class holds needs `{ override: true }`.
 *
 * ```ts
 * class Scale extends Layer<'one'> { static override readonly className = 'Scale'; … }
 * registerLayer(Scale);
 * ```
 */
export function registerLayer(cls: LayerClass, options: RegisterLayerOptions = {}): void {
  const key = options.name ?? cls?.className;
  if (typeof cls !== 'function' || typeof key !== 'string' || key === '' || key === 'Layer') {
    throw new ValueError(
      received(
        'registerLayer: expected a Layer subclass with its own static className',
        'className',
        key,
      ),
    );
  }
  // The one registry rule: the same class again is harmless, another class needs override.
  table.add([key], cls, { override: options.override === true });
}

/** The registered class for this name (NotFoundError listing the known names otherwise). */
export function getLayerClass(className: string): LayerClass {
  return table.get(className);
}

/** Names of every registered layer class. */
export function registeredLayerNames(): string[] {
  return table.names().sort();
}

/** `{ className, config }` of a layer (what model configs store per layer). */
export function serializeLayer(layer: Layer<Arity>): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

/** Rebuilds a layer from `{ className, config }`. */
export function deserializeLayer(serialized: unknown): Layer<Arity> {
  if (
    serialized === null ||
    typeof serialized !== 'object' ||
    typeof (serialized as SerializedLayer).className !== 'string' ||
    typeof (serialized as SerializedLayer).config !== 'object' ||
    (serialized as SerializedLayer).config === null
  ) {
    throw new FormatError(
      received(
        'A serialized layer must be { className: string, config: object }',
        'layer',
        serialized,
      ),
    );
  }
  const { className, config } = serialized as SerializedLayer;
  const cls = getLayerClass(className);
  return cls.fromConfig !== undefined
    ? cls.fromConfig({ ...config })
    : new cls({ ...config } as never);
}
