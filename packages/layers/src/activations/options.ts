/** Reading the options argument of parametric activations (`elu`'s alpha, …). */

/** Reads an options argument that may be absent; anything but an object counts as absent. */
export function optionsOf<T extends object>(options: T | undefined): Partial<T> {
  return typeof options === 'object' && options !== null ? options : {};
}
