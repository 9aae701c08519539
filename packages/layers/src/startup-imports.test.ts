import { describe, expect, it } from 'vitest';

/** Native libraries this process has loaded (Node's diagnostic report lists them). */
function nativeLibraries(): string[] {
  const report = process.report.getReport() as unknown as { sharedObjects: string[] };
  return report.sharedObjects;
}

// Every worker thread of `fit` imports the package and never draws or encodes: resvg's
// native library (PNG) and msgpackr's native extension (checkpoints) load on first use.
describe('importing @tessera/layers', () => {
  it('loads neither resvg nor msgpackr until a PNG is drawn or a value encoded', async () => {
    const layers = await import('./index.js');
    const loaded = () => nativeLibraries().filter((s) => /resvg|msgpackr/.test(s));
    expect(loaded()).toEqual([]);
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="red"/></svg>';
    const png = layers.svgToPng(svg);
    expect(Array.from(png.subarray(1, 4), (c) => String.fromCharCode(c)).join('')).toBe('PNG');
    expect(loaded().some((s) => s.includes('resvg'))).toBe(true);
  });
});
