/**
 * What the playground page reads from `tessera serve`: the model facts (kind of input,
 * class and feature names, training ranges, summary), the exported LayersModel and the
 * model diagram.
 */
import { plotModel, renderDot, summaryText } from '@tessera/layers';
import type { OpenCheckpoint } from '../checkpoint/open-checkpoint.js';
import { exportCheckpoint } from '../export/checkpoint-export.js';
import { TFJS_WEIGHTS_FILE } from '../export/tfjs-artifacts.js';
import { type RouteHandler, send, sendJson } from './web-server.js';

/** Models with one 28×28 (or 784-value) image input get the drawing canvas. */
function isImageModel(featureShape: readonly number[]): boolean {
  const size = featureShape.reduce((a, b) => a * b, 1);
  return (
    size === 784 &&
    (featureShape.length === 1 || (featureShape[0] === 28 && featureShape[1] === 28))
  );
}

/** The playground's routes for one opened checkpoint. */
export async function playgroundRoutes(
  opened: OpenCheckpoint,
  title: string,
): Promise<Record<string, RouteHandler>> {
  const { artifacts } = exportCheckpoint(opened);
  const facts = opened.extra.data;
  const size = facts.featureShape.reduce((a, b) => a * b, 1);
  const info = {
    title,
    kind: isImageModel(facts.featureShape) ? 'image' : 'tabular',
    task: facts.task,
    ...(facts.classNames === undefined ? {} : { classNames: facts.classNames }),
    featureNames: facts.featureNames ?? Array.from({ length: size }, (_, i) => `x${i}`),
    ...(facts.featureRanges === undefined ? {} : { featureRanges: facts.featureRanges }),
    featureShape: facts.featureShape,
    summary: summaryText(opened.model),
  };
  const svg = await renderDot(plotModel(opened.model, { showShapes: true }), 'svg');
  const modelJson = JSON.stringify(artifacts.modelJson);
  return {
    '/api/playground': (_req, res) => sendJson(res, info),
    '/api/model.svg': (_req, res) => send(res, 200, 'image/svg+xml', svg),
    '/model/model.json': (_req, res) =>
      send(res, 200, 'application/json; charset=utf-8', modelJson),
    [`/model/${TFJS_WEIGHTS_FILE}`]: (_req, res) =>
      send(res, 200, 'application/octet-stream', artifacts.weightData),
  };
}
