import { defineConfig, mergeConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  packageTestConfig(),
  // The tests' worker threads load a build of src/ made when the run starts (see the file).
  defineConfig({ test: { globalSetup: ['test/global-setup.ts'] } }),
);
