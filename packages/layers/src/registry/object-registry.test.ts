import { NotFoundError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { builtinClass, ObjectRegistry } from './object-registry.js';

/** A toy configurable object: a gear with a number of teeth. */
class Gear {
  readonly className: string = 'Gear';
  readonly teeth: number;
  constructor(args: { teeth?: number } = {}) {
    this.teeth = args.teeth ?? 8;
  }
  getConfig(): Record<string, unknown> {
    return { teeth: this.teeth };
  }
}

function isGear(value: unknown): value is Gear {
  return typeof value === 'object' && value !== null && 'teeth' in value;
}

function gears(): ObjectRegistry<Gear> {
  return new ObjectRegistry<Gear>({
    kind: 'gear',
    namespace: 'gears',
    isInstance: isGear,
    builtins: [builtinClass(['spur_gear', 'spurGear', 'Gear'], ['teeth'], Gear)],
  });
}

describe('builtinClass', () => {
  it('builds the class from its config and keeps the names as given', () => {
    const definition = builtinClass(['spur_gear', 'Gear'], ['teeth'], Gear);
    expect(definition.names).toEqual(['spur_gear', 'Gear']);
    expect(definition.keys).toEqual(['teeth']);
    const gear = definition.create({ teeth: 12 });
    expect(gear).toBeInstanceOf(Gear);
    expect(gear.teeth).toBe(12);
  });
});

describe('ObjectRegistry', () => {
  it('defines its builtins: every spelling resolves, the first is listed', () => {
    const registry = gears();
    for (const name of ['spur_gear', 'spurGear', 'Gear']) {
      expect(registry.get(name)).toBeInstanceOf(Gear);
    }
    expect(registry.names()).toEqual(['spur_gear']);
    expect(registry.deserialize({ className: 'Gear', config: { teeth: 5 } }).teeth).toBe(5);
  });

  it('checks config keys against the definition, naming the class', () => {
    expect(() => gears().deserialize({ className: 'spur_gear', config: { tooth: 5 } })).toThrow(
      'Gear: unknown argument; expected one of teeth. Received: key="tooth"',
    );
  });

  it('functions() delegates each public function to the registry', () => {
    const registry = gears();
    const { get, serialize, deserialize, register, names } = registry.functions<
      Gear | string,
      'spur_gear'
    >();
    const gear = get('spurGear');
    expect(serialize(gear)).toEqual({ className: 'Gear', config: { teeth: 8 } });
    expect(deserialize('spur_gear')).toBeInstanceOf(Gear);
    expect(get(gear)).toBe(gear);
    class Sprocket extends Gear {
      override readonly className = 'Sprocket';
    }
    register('Sprocket', (config) => new Sprocket(config));
    expect(names()).toEqual(['spur_gear', 'Sprocket']);
    expect(deserialize({ className: 'Sprocket', config: { teeth: 3 } })).toBeInstanceOf(Sprocket);
    expect(() => register('Sprocket', (config) => new Sprocket(config))).toThrow(ValueError);
    register('Sprocket', (config) => new Sprocket(config), { override: true });
    expect(() => get('wheel')).toThrow(NotFoundError);
    expect(() => get(3 as never)).toThrow(
      'A gear must be a name, a { className, config } object or a gear object. Received: gear=3',
    );
  });
});
