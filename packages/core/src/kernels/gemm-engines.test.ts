import { describe, expect, it } from 'vitest';
import { RngStream } from '../rng.js';
import {
  FUSED_ACTIVATIONS,
  type FusedActivation,
  type GemmEngine,
  type GemmProblem,
} from './gemm-problem.js';
import { compareWithReference, type ReferenceResult, referenceGemm } from './gemm-reference.js';
import { JsGemmEngine } from './js-engine.js';
import { WasmGemmEngine } from './wasm-engine.js';
import { detectWasmFeatures } from './wasm-module.js';

const features = detectWasmFeatures();

interface ProblemSpec {
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  bias?: boolean;
  activation?: FusedActivation;
  /** Number of A and B matrices and which ones each output uses (default one of each). */
  aCount?: number;
  bCount?: number;
  aIndex?: number[];
  bIndex?: number[];
}

function makeProblem(spec: ProblemSpec, rng: RngStream): GemmProblem {
  const aCount = spec.aCount ?? 1;
  const bCount = spec.bCount ?? 1;
  const activation = spec.activation ?? 'linear';
  const a = rng.fillUniform(new Float32Array(aCount * spec.m * spec.k), -1, 1);
  const b = rng.fillUniform(new Float32Array(bCount * spec.k * spec.n), -1, 1);
  return {
    a,
    b,
    m: spec.m,
    n: spec.n,
    k: spec.k,
    transposeA: spec.transposeA,
    transposeB: spec.transposeB,
    aIndex: Int32Array.from(spec.aIndex ?? [0]),
    bIndex: Int32Array.from(spec.bIndex ?? [0]),
    bias: spec.bias === true ? rng.fillUniform(new Float32Array(spec.n), -2, 2) : null,
    activation,
    leakyreluAlpha: 0.3,
    preluWeights:
      activation === 'prelu' ? rng.fillUniform(new Float32Array(spec.n), -0.5, 1.5) : null,
  };
}

const TRANSPOSES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

function sameBytes(x: Float32Array, y: Float32Array): boolean {
  return (
    Buffer.compare(
      new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
      new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
    ) === 0
  );
}

/** Float64 references, computed once per problem and shared by the engines. */
const references = new WeakMap<GemmProblem, ReferenceResult>();

function reference(p: GemmProblem): ReferenceResult {
  let r = references.get(p);
  if (r === undefined) {
    r = referenceGemm(p);
    references.set(p, r);
  }
  return r;
}

/** Problems made once per seed and name, so every engine is checked on the same inputs. */
const problemSets = new Map<string, GemmProblem[]>();

function problems(name: string, make: (rng: RngStream) => GemmProblem[]): GemmProblem[] {
  let set = problemSets.get(name);
  if (set === undefined) {
    set = make(RngStream.fromSeed(11, name));
    problemSets.set(name, set);
  }
  return set;
}

/** Runs `engine` on `p` and checks it against the float64 reference and its inputs unchanged. */
function expectMatchesReference(engine: GemmEngine, p: GemmProblem): void {
  const before = { a: p.a.slice(), b: p.b.slice(), bias: p.bias?.slice() };
  const result = engine.run(p);
  const comparison = compareWithReference(result, reference(p));
  const label = `${engine.name} m=${p.m} n=${p.n} k=${p.k} tA=${p.transposeA} tB=${p.transposeB} bias=${p.bias !== null} act=${p.activation} batch=${p.aIndex.length}`;
  expect(comparison.first, label).toBeUndefined();
  expect(comparison.ok, label).toBe(true);
  expect(sameBytes(p.a, before.a), 'a unchanged').toBe(true);
  expect(sameBytes(p.b, before.b), 'b unchanged').toBe(true);
  if (before.bias !== undefined)
    expect(sameBytes(p.bias!, before.bias), 'bias unchanged').toBe(true);
}

const engines: Array<[string, boolean, () => GemmEngine]> = [
  ['wasm-relaxed', features.relaxedSimd, () => new WasmGemmEngine('relaxed')],
  ['wasm-simd', features.simd, () => new WasmGemmEngine('simd')],
  ['js', true, () => new JsGemmEngine()],
];

function randomShapes(rng: RngStream): GemmProblem[] {
  const out: GemmProblem[] = [];
  for (let t = 0; t < 12; t++) {
    const [transposeA, transposeB] = TRANSPOSES[t % 4]!;
    const dim = () => 1 + rng.int(300);
    const activation = t % 3 === 0 ? 'relu' : 'linear';
    const spec = { m: dim(), n: dim(), k: dim(), transposeA, transposeB, bias: t % 2 === 1 };
    out.push(makeProblem({ ...spec, activation }, rng));
  }
  return out;
}

function oddShapes(rng: RngStream): GemmProblem[] {
  const sizes = [1, 3, 4, 5, 7, 8, 9, 12, 17];
  const ks = [1, 3, 7, 9, 17];
  const out: GemmProblem[] = [];
  let t = 0;
  for (const m of sizes) {
    for (const n of sizes) {
      const [transposeA, transposeB] = TRANSPOSES[t % 4]!;
      const k = ks[t % ks.length]!;
      out.push(makeProblem({ m, n, k, transposeA, transposeB, bias: t % 2 === 0 }, rng));
      t++;
    }
  }
  return out;
}

function blockBoundaryShapes(rng: RngStream): GemmProblem[] {
  const shapes: Array<[number, number, number]> = [
    [5, 9, 255],
    [7, 17, 256],
    [9, 3, 257],
    [3, 255, 513],
    [255, 7, 9],
    [257, 9, 17],
    [513, 5, 3],
    // Narrow outputs, computed as Cᵀ, across k-blocks.
    [64, 10, 300],
    [100, 1, 600],
    [130, 2, 257],
  ];
  const out: GemmProblem[] = [];
  let t = 0;
  for (const [m, n, k] of shapes) {
    for (const [transposeA, transposeB] of TRANSPOSES) {
      const activation = t % 2 === 0 ? 'relu6' : 'leakyrelu';
      out.push(makeProblem({ m, n, k, transposeA, transposeB, bias: true, activation }, rng));
      t++;
    }
  }
  return out;
}

function activationCases(rng: RngStream): GemmProblem[] {
  const out: GemmProblem[] = [];
  let t = 0;
  for (const activation of FUSED_ACTIVATIONS) {
    for (const bias of [false, true]) {
      const [transposeA, transposeB] = TRANSPOSES[t % 4]!;
      out.push(makeProblem({ m: 13, n: 11, k: 21, transposeA, transposeB, bias, activation }, rng));
      t++;
    }
  }
  return out;
}

function batchedCases(rng: RngStream): GemmProblem[] {
  return [
    // Three a matrices against one shared b.
    makeProblem(
      {
        ...{ m: 6, n: 10, k: 7, transposeA: false, transposeB: true },
        ...{ aCount: 3, aIndex: [0, 1, 2], bIndex: [0, 0, 0] },
      },
      rng,
    ),
    // One a against three b matrices, with bias and ELU.
    makeProblem(
      {
        ...{ m: 9, n: 5, k: 12, transposeA: true, transposeB: false },
        ...{ bCount: 3, aIndex: [0, 0, 0], bIndex: [0, 1, 2], bias: true, activation: 'elu' },
      },
      rng,
    ),
    // Pairs: a[i] with b[i].
    makeProblem(
      {
        ...{ m: 4, n: 8, k: 4, transposeA: true, transposeB: true },
        ...{ aCount: 2, bCount: 2, aIndex: [0, 1], bIndex: [0, 1] },
      },
      rng,
    ),
  ];
}

const suites: Array<[string, (rng: RngStream) => GemmProblem[]]> = [
  ['agrees with float64 on random shapes up to 300, every transpose', randomShapes],
  ['handles sizes 1, 3, 4, 5, 7, 8, 9, 12, 17 at every edge of the 4×8 tile', oddShapes],
  ['crosses the k-block and row-block boundaries (255, 256, 257, 513, 600)', blockBoundaryShapes],
  ['applies every fused activation, with and without bias', activationCases],
  ['computes batched products with broadcast operands', batchedCases],
];

describe.each(engines)('%s GEMM engine', (_name, available, create) => {
  const engine = available ? create() : null;

  it.skipIf(!available).each(suites)('%s', (title, make) => {
    for (const p of problems(title, make)) expectMatchesReference(engine!, p);
  });

  it.skipIf(!available)(
    'returns bias and activation alone when k = 0, and nothing when m = 0',
    () => {
      const rng = RngStream.fromSeed(16, 'empty');
      const spec = { m: 3, n: 4, k: 0, transposeA: false, transposeB: false };
      const p = makeProblem({ ...spec, bias: true, activation: 'relu' }, rng);
      const expected = Array.from({ length: 12 }, (_, i) => Math.max(0, p.bias![i % 4]!));
      expect(Array.from(engine!.run(p))).toEqual(expected);
      const empty = makeProblem({ m: 0, n: 4, k: 5, transposeA: false, transposeB: false }, rng);
      expect(engine!.run(empty)).toHaveLength(0);
    },
  );

  it.skipIf(!available)('propagates NaN and infinity like the float64 definition', () => {
    const rng = RngStream.fromSeed(17, 'nan');
    const p = makeProblem({ m: 5, n: 9, k: 6, transposeA: false, transposeB: false }, rng);
    p.a[0] = Number.NaN; // row 0 of the output becomes NaN
    p.a[6 + 2] = Number.POSITIVE_INFINITY; // row 1 becomes ±infinity
    const result = engine!.run(p);
    const ref = referenceGemm(p);
    for (let j = 0; j < 9; j++) {
      expect(Number.isNaN(result[j]!)).toBe(true);
      expect(Math.abs(result[9 + j]!)).toBe(Number.POSITIVE_INFINITY);
      expect(result[9 + j]).toBe(ref.values[9 + j]);
    }
    expect(compareWithReference(result, ref).ok).toBe(true);
  });

  it.skipIf(!available)(
    'reads a row-major B of whole 8-column panels in place: the bits of B packed',
    () => {
      // n a multiple of 8 with B not transposed is read where it is; the same B stored
      // transposed is packed first. Same products in the same order: the same bits, for few
      // and many rows of A, k past one block (256), A transposed or not, bias and activation.
      const rng = RngStream.fromSeed(18, 'in-place');
      for (const [m, n, k] of [
        [8, 128, 784],
        [1, 8, 3],
        [5, 16, 300],
        [130, 24, 17],
      ] as const) {
        for (const transposeA of [false, true]) {
          const spec = { m, n, k, transposeA, transposeB: false, bias: true };
          const p = makeProblem({ ...spec, activation: 'relu' }, rng);
          const bt = new Float32Array(k * n);
          for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) bt[c * k + r] = p.b[r * n + c]!;
          const inPlace = engine!.run(p).slice();
          const packed = engine!.run({ ...p, b: bt, transposeB: true });
          expect(sameBytes(inPlace, packed), `m=${m} n=${n} k=${k} transA=${transposeA}`).toBe(
            true,
          );
          expectMatchesReference(engine!, p);
        }
      }
    },
  );
});

describe('WasmGemmEngine memory', () => {
  it.skipIf(!features.simd)(
    'grows for a large problem and stays correct for small ones after',
    () => {
      const engine = new WasmGemmEngine('simd');
      const rng = RngStream.fromSeed(18, 'grow');
      const small = makeProblem({ m: 4, n: 8, k: 4, transposeA: false, transposeB: false }, rng);
      expectMatchesReference(engine, small);
      // 600×600 operands plus output and scratch need more than the initial memory.
      const big = makeProblem({ m: 600, n: 40, k: 600, transposeA: true, transposeB: false }, rng);
      expectMatchesReference(engine, big);
      expectMatchesReference(engine, small);
    },
  );
});
