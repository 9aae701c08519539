/**
 * `plotModel(model, options)`: the model as a Graphviz DOT graph (pure text), one box
 * per layer — name and class, optionally output shape, activation and trainability —
 * and an edge per connection. Render it with `renderDot` or write it as a `.dot` file.
 *
 * ```ts
 * const dot = plotModel(m, { showShapes: true, rankdir: 'LR' });
 * const svg = await renderDot(dot, 'svg');
 * ```
 */
import { received, ValueError } from '@tessera/core';
import type { ActivationFn } from '../activations/index.js';
import type { Arity } from '../engine/call-context.js';
import type { Graph } from '../engine/graph.js';
import type { Layer } from '../engine/layer.js';
import type { Model } from '../engine/model.js';
import { formatShape } from '../engine/shape.js';
import { activationLabel } from '../layers/common.js';

/** Options of `plotModel` (Keras's `plot_model` arguments, camelCase). */
export interface PlotOptions {
  /** Show each layer's input and output shapes (default false). */
  showShapes?: boolean;
  /** Show layer names next to the class (default true). */
  showLayerNames?: boolean;
  /** Show the activation of layers that have one (default false). */
  showLayerActivations?: boolean;
  /** Show whether each layer is trainable (default false). */
  showTrainable?: boolean;
  /** Direction of the graph: 'TB' top to bottom (default), 'LR', 'BT', 'RL'. */
  rankdir?: 'TB' | 'LR' | 'BT' | 'RL';
  /** Resolution of bitmap renderings in dots per inch (default 96). */
  dpi?: number;
}

const RANKDIRS = ['TB', 'LR', 'BT', 'RL'];

/** Escapes text for a Graphviz HTML-like label. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function shapesText(
  layer: Layer<Arity>,
  graph: Graph | undefined,
  which: 'inputs' | 'outputs',
): string {
  if (graph === undefined) return '?';
  const inGraph = new Set(graph.nodes);
  const node = layer.inboundNodes.filter((n) => inGraph.has(n)).at(-1);
  const tensors = node?.[which] ?? [];
  if (tensors.length === 0)
    return which === 'inputs' && node !== undefined
      ? formatShape(node.outputs[0]?.shape ?? [])
      : '?';
  const list = tensors.map((t) => formatShape(t.shape));
  return list.length === 1 ? (list[0] as string) : `[${list.join(', ')}]`;
}

function label(
  layer: Layer<Arity>,
  graph: Graph | undefined,
  options: Required<Omit<PlotOptions, 'rankdir' | 'dpi'>>,
): string {
  const title = options.showLayerNames
    ? `<b>${escapeHtml(layer.name)}</b> (${escapeHtml(layer.className)})`
    : `<b>${escapeHtml(layer.className)}</b>`;
  const rows = [`<tr><td bgcolor="#dbe7f5">${title}</td></tr>`];
  const details: string[] = [];
  if (options.showShapes) {
    details.push(`Input shape: ${shapesText(layer, graph, 'inputs')}`);
    details.push(`Output shape: ${shapesText(layer, graph, 'outputs')}`);
  }
  const fn = (layer as unknown as { activation?: unknown }).activation;
  if (options.showLayerActivations && typeof fn === 'function') {
    details.push(`Activation: ${activationLabel(fn as ActivationFn)}`);
  }
  if (options.showTrainable) details.push(`Trainable: ${layer.trainable ? 'True' : 'False'}`);
  for (const d of details) rows.push(`<tr><td>${escapeHtml(d)}</td></tr>`);
  return `<<table border="0" cellborder="1" cellspacing="0" cellpadding="5">${rows.join('')}</table>>`;
}

/** The model as a DOT graph. */
export function plotModel(model: Model, options: PlotOptions = {}): string {
  const rankdir = options.rankdir ?? 'TB';
  if (!RANKDIRS.includes(rankdir)) {
    throw new ValueError(
      received(`plotModel: rankdir must be one of ${RANKDIRS.join(', ')}`, 'rankdir', rankdir),
    );
  }
  const dpi = options.dpi ?? 96;
  if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0) {
    throw new ValueError(received('plotModel: dpi must be a positive number', 'dpi', dpi));
  }
  const shown = {
    showShapes: options.showShapes ?? false,
    showLayerNames: options.showLayerNames ?? true,
    showLayerActivations: options.showLayerActivations ?? false,
    showTrainable: options.showTrainable ?? false,
  };
  const graph = model.graph;
  const list = graph === undefined ? model.layers : [...graph.layers];
  const id = new Map<Layer<Arity>, string>(list.map((l, i) => [l, `layer_${i}`]));
  const lines = [
    `digraph ${quote(model.name)} {`,
    `  graph [rankdir=${rankdir}, dpi=${dpi}, nodesep=0.3, ranksep=0.4];`,
    '  node [shape=plaintext, fontname="DejaVu Sans", fontsize=11];',
    '  edge [arrowsize=0.7];',
  ];
  for (const layer of list) lines.push(`  ${id.get(layer)} [label=${label(layer, graph, shown)}];`);
  const edges = new Set<string>();
  if (graph === undefined) {
    for (let i = 1; i < list.length; i++) edges.add(`  layer_${i - 1} -> layer_${i};`);
  } else {
    for (const node of graph.nodes) {
      for (const t of node.inputs)
        edges.add(`  ${id.get(t.sourceLayer)} -> ${id.get(node.layer)};`);
    }
  }
  lines.push(...edges, '}');
  return lines.join('\n');
}
