#!/usr/bin/env node
import { run } from './cli.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Worker threads and timers are closed by then; should anything linger, do not hang.
setTimeout(() => process.exit(code), 1000).unref();
