/**
 * `model.summary()`: the Keras 3 table — `Model: "name"`, one row per layer with
 * "Layer (type)", "Output Shape" (`(None, 128)`), "Param #" and, for models that are not
 * a plain chain, "Connected to" — then total, trainable and non-trainable counts with
 * their size in bytes (float32). `summaryLines` is pure; printing is the caller's.
 *
 * ```ts
 * m.summary();                           // console.log, line by line
 * const text = summaryText(m);           // the same lines joined by '\n'
 * ```
 */
import { received, ValueError } from '@tessera/core';
import type { Arity } from '../engine/call-context.js';
import type { Graph } from '../engine/graph.js';
import type { Layer } from '../engine/layer.js';
import type { Model } from '../engine/model.js';
import { formatShape } from '../engine/shape.js';
import type { Node } from '../engine/symbolic.js';
import { type Column, columnWidths, formatBytes, formatCount, renderTable } from './format.js';

/** Options of `summary` / `summaryLines`. */
export interface SummaryOptions {
  /** Total width of each line (default 88, or 108 with the "Connected to" column). */
  lineLength?: number;
  /** Where each column ends, as fractions of the line (default [0.45, 0.8, 1] / [0.3, 0.56, 0.74, 1]). */
  positions?: number[];
}

const BYTES_PER_PARAM = 4;

/** True when the graph is one chain: each node takes one tensor and each layer runs once. */
function isChain(model: Model, graph: Graph | undefined): boolean {
  if (model.className === 'Sequential' || graph === undefined) return true;
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  const used = new Set<number>();
  const perLayer = new Map<Layer<Arity>, number>();
  for (const node of graph.nodes) {
    perLayer.set(node.layer, (perLayer.get(node.layer) ?? 0) + 1);
    if (node.inputs.length > 1 || node.outputs.length > 1) return false;
    for (const t of node.inputs) {
      if (used.has(t.id)) return false;
      used.add(t.id);
    }
  }
  return [...perLayer.values()].every((n) => n === 1);
}

function nodesOf(layer: Layer<Arity>, graph: Graph | undefined): Node[] {
  if (graph === undefined) return [];
  const inGraph = new Set(graph.nodes);
  return layer.inboundNodes.filter((n) => inGraph.has(n));
}

function outputShapeText(layer: Layer<Arity>, graph: Graph | undefined): string {
  const node = nodesOf(layer, graph).at(-1);
  if (node === undefined) return '?';
  const shapes = node.outputs.map((t) => formatShape(t.shape));
  return shapes.length === 1 ? (shapes[0] as string) : `[${shapes.join(', ')}]`;
}

function connections(layer: Layer<Arity>, graph: Graph | undefined): string {
  const refs = nodesOf(layer, graph).flatMap((n) =>
    n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`),
  );
  return refs.length === 0 ? '-' : refs.join(', ');
}

function paramText(layer: Layer<Arity>): string {
  return layer.built ? formatCount(layer.countParams()) : '0 (unbuilt)';
}

function sizeOf(weights: readonly { size: number }[]): number {
  return weights.reduce((n, w) => n + w.size, 0);
}

/** The summary as lines of text. */
export function summaryLines(model: Model, options: SummaryOptions = {}): string[] {
  const graph = model.graph;
  const chain = isChain(model, graph);
  const lineLength = options.lineLength ?? (chain ? 88 : 108);
  const positions = options.positions ?? (chain ? [0.45, 0.8, 1] : [0.3, 0.56, 0.74, 1]);
  const headers = chain
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  if (!Number.isInteger(lineLength) || lineLength <= 0) {
    throw new ValueError(
      received('summary: lineLength must be a positive integer', 'lineLength', lineLength),
    );
  }
  if (positions.length !== headers.length) {
    throw new ValueError(
      received(`summary: positions needs ${headers.length} entries`, 'positions', positions),
    );
  }
  const widths = columnWidths(lineLength, positions);
  if (widths.some((w) => w < 4)) {
    throw new ValueError(
      received('summary: the line is too short for the columns', 'lineLength', lineLength),
    );
  }
  const columns: Column[] = headers.map((header, i) => ({
    header,
    width: widths[i] as number,
    align: header === 'Param #' ? 'right' : 'left',
  }));
  const rows = model.layers.map((layer) => {
    const cells = [
      `${layer.name} (${layer.className})`,
      outputShapeText(layer, graph),
      paramText(layer),
    ];
    if (!chain) cells.push(connections(layer, graph));
    return cells;
  });
  const trainable = sizeOf(model.trainableWeights);
  const frozen = sizeOf(model.nonTrainableWeights);
  const total = trainable + frozen;
  return [
    `Model: "${model.name}"`,
    ...renderTable(columns, rows),
    ` Total params: ${formatCount(total)} (${formatBytes(total * BYTES_PER_PARAM)})`,
    ` Trainable params: ${formatCount(trainable)} (${formatBytes(trainable * BYTES_PER_PARAM)})`,
    ` Non-trainable params: ${formatCount(frozen)} (${formatBytes(frozen * BYTES_PER_PARAM)})`,
  ];
}

/** The summary as one string. */
export function summaryText(model: Model, options: SummaryOptions = {}): string {
  return summaryLines(model, options).join('\n');
}
