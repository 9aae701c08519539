import { NotFoundError, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { CustomEntries, hasClassName } from './custom-entries.js';

interface Widget {
  readonly name: string;
  spin(): number;
}
type WidgetFn = (a: number) => number;

function isWidget(value: unknown): value is Widget {
  return typeof value === 'object' && value !== null && 'spin' in value;
}

function widgets(): CustomEntries<Widget, WidgetFn> {
  return new CustomEntries<Widget, WidgetFn>({
    kind: 'widget',
    namespace: 'widgets',
    typeName: 'Widget',
    isInstance: isWidget,
    isReserved: (name) => name === 'builtin_one',
  });
}

describe('CustomEntries', () => {
  it('keeps functions and objects by name, finds them and their names', () => {
    const custom = widgets();
    const double: WidgetFn = (a) => 2 * a;
    const wheel: Widget = { name: 'wheel', spin: () => 1 };
    custom.register('double', double);
    custom.register('wheel_widget', wheel);
    expect(custom.find('double')).toBe(double);
    expect(custom.find('wheel_widget')).toBe(wheel);
    expect(custom.find('nope')).toBeUndefined();
    expect(custom.nameOf(double)).toBe('double');
    expect(custom.nameOf(wheel)).toBe('wheel_widget');
    expect(custom.nameOf((a) => a)).toBeUndefined();
  });

  it('re-registering a name replaces its entry', () => {
    const custom = widgets();
    const first: WidgetFn = (a) => a;
    const second: WidgetFn = (a) => -a;
    custom.register('w', first);
    custom.register('w', second);
    expect(custom.find('w')).toBe(second);
    expect(custom.nameOf(first)).toBeUndefined();
  });

  it('names a function by its registration, else its own name, else custom_<kind>', () => {
    const custom = widgets();
    function triple(a: number): number {
      return 3 * a;
    }
    expect(custom.functionName(triple)).toBe('triple');
    custom.register('times_three', triple);
    expect(custom.functionName(triple)).toBe('times_three');
    const anonymous = [(a: number) => a][0]!;
    expect(anonymous.name).toBe('');
    expect(custom.functionName(anonymous)).toBe('custom_widget');
  });

  it('register rejects empty and reserved names and entries of the wrong kind', () => {
    const custom = widgets();
    expect(() => custom.register('', (a) => a)).toThrow(
      'widgets.register: name must be a non-empty string. Received: name=""',
    );
    expect(() => custom.register('builtin_one', (a) => a)).toThrow(
      'widgets.register: name is a built-in widget. Received: name="builtin_one"',
    );
    expect(() => custom.register('x', { name: 'x' } as never)).toThrow(
      'widgets.register: expected a Widget object or a function (yTrue, yPred) => Tensor. Received: widget={"name":"x"}',
    );
    expect(() => custom.register('x', 3 as never)).toThrow(ValueError);
  });

  it('builds the messages of the registry functions', () => {
    const custom = widgets();
    custom.register('mine', (a) => a);
    const unknown = custom.unknownName('whirl', ['builtin_one', 'builtin_two']);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.message).toBe(
      'Unknown widget; known widgets: builtin_one, builtin_two, mine. Received: widget="whirl"',
    );
    const notId = custom.notAnIdentifier(42);
    expect(notId).toBeInstanceOf(ValueError);
    expect(notId.message).toBe(
      'A widget must be a name, a { className, config } object, a Widget or a function. Received: widget=42',
    );
    function loose(a: number): number {
      return a;
    }
    expect(custom.unregistered(loose).message).toBe(
      'Cannot serialize an unregistered widget; register it first with widgets.register(name, widget). Received: widget=function loose',
    );
    expect(custom.unregistered({ name: 'gear', spin: () => 2 }).message).toBe(
      'Cannot serialize an unregistered widget; register it first with widgets.register(name, widget). Received: widget="gear"',
    );
  });

  it('parseSerialized checks { className, config } and defaults a missing config to {}', () => {
    const custom = widgets();
    expect(custom.parseSerialized({ className: 'Gear', config: { teeth: 12 } })).toEqual({
      className: 'Gear',
      config: { teeth: 12 },
    });
    expect(custom.parseSerialized({ className: 'Gear' })).toEqual({
      className: 'Gear',
      config: {},
    });
    expect(() => custom.parseSerialized({ config: {} })).toThrow(
      'A serialized widget must be { className, config }. Received: config={"config":{}}',
    );
    expect(() => custom.parseSerialized({ className: 'Gear', config: [1] })).toThrow(
      'A serialized widget config must be an object. Received: config=[1]',
    );
    expect(() => custom.parseSerialized({ className: 'Gear', config: 'x' })).toThrow(ValueError);
  });
});

describe('hasClassName', () => {
  it('is true exactly for objects with a string className', () => {
    expect(hasClassName({ className: 'Gear' })).toBe(true);
    expect(hasClassName({ className: 1 })).toBe(false);
    expect(hasClassName(null)).toBe(false);
    expect(hasClassName('Gear')).toBe(false);
  });
});
