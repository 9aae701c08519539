/**
 * `tessera export --format pytorch`: writes model.py, the weights, train_ddp.py,
 * tessera_io.py, README.md (and custom_functions.py when supplied) into a folder.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenCheckpoint } from '../../checkpoint/open-checkpoint.js';
import { parameterLayout, stateFromCheckpoint } from './checkpoint-state.js';
import { exportReadme } from './export-readme.js';
import { modelGraph } from './model-graph.js';
import { renderModelPy } from './model-py.js';
import { writeState } from './state-files.js';

/** The Python files shipped as they are (apps/cli/python). */
const PYTHON_DIR = fileURLToPath(new URL('../../../python/', import.meta.url));

/** The files of an export, before anything is written (so errors leave no half folder). */
export interface PytorchExport {
  modelPy: string;
  readme: string;
  write(folder: string): Promise<string[]>;
}

/** Prepares the export of an opened checkpoint; throws naming any layer or function without a PyTorch equivalent. */
export function pytorchExport(
  opened: OpenCheckpoint,
  custom?: { source: string; names: ReadonlySet<string> },
): PytorchExport {
  const shapes = new Map(opened.model.weights.map((w) => [w.name, [...w.shape]] as const));
  const facts = opened.extra.data;
  const graph = modelGraph(opened.data.model);
  const modelPy = renderModelPy({
    graph,
    shapes,
    featureScale: facts.featureScale,
    featureShape: facts.featureShape,
    ...(opened.extra.normalizer === undefined ? {} : { normalizer: opened.extra.normalizer }),
    custom: custom?.names ?? new Set(),
    source: opened.path,
  });
  const readme = exportReadme({
    modelName: graph.modelName,
    checkpoint: opened.path,
    batchSize: opened.data.run.batchSize,
  });
  const state = stateFromCheckpoint(opened.data, parameterLayout(opened.model));
  return {
    modelPy,
    readme,
    async write(folder) {
      await writeFile(join(folder, 'model.py'), modelPy);
      await writeFile(join(folder, 'README.md'), readme);
      for (const file of ['train_ddp.py', 'tessera_io.py'])
        await copyFile(join(PYTHON_DIR, file), join(folder, file));
      if (custom !== undefined) await writeFile(join(folder, 'custom_functions.py'), custom.source);
      await writeState(folder, state);
      return ['model.py', 'weights.json', 'weights.bin', 'train_ddp.py', 'README.md'];
    },
  };
}
