import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelKind, resolveModel } from './resolve-model.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

describe('resolveModel', () => {
  it('tells built-ins, JSON files and modules apart', () => {
    expect(modelKind('iris-mlp')).toBe('builtin');
    expect(modelKind('models/net.JSON')).toBe('json');
    expect(modelKind('net.mjs')).toBe('module');
    expect(() => modelKind('net.h5')).toThrow(
      /not a built-in model .* a model \.json file or a \.js module/,
    );
  });

  it('loads a JSON model file', async () => {
    const r = await resolveModel(fixture('iris-model.json'));
    expect(r.source).toEqual({ kind: 'json', ref: fixture('iris-model.json') });
    expect(r.model.countParams()).toBe(4 * 12 + 12 + 12 * 3 + 3);
    expect(r.customObjects).toEqual([]);
  });

  it('loads a module, keeps its compile settings and lists it for the workers', async () => {
    const r = await resolveModel(fixture('custom-model.mjs'));
    expect(r.source.kind).toBe('module');
    expect(r.customObjects).toEqual([fixture('custom-model.mjs')]);
    expect(r.model.compiled?.loss.name).toBe('categorical_crossentropy');
    expect(r.model.getLayer('my_relu').className).toBe('Lambda');
  });
});
