/**
 * PyTorch for tests: Debian's python3-torch run by /usr/bin/python3 (`.ci/run` installs it).
 * Tests that need it skip, with the reason in their name, only when it cannot be imported.
 */
import { execFile, spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** Whether /usr/bin/python3 imports torch and numpy. */
export const HAS_TORCH =
  spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

/** Appended to the name of a suite that needs torch, so a skip says why. */
export const TORCH_SKIP_REASON = HAS_TORCH
  ? ''
  : ' (SKIPPED: /usr/bin/python3 cannot import torch; install python3-torch python3-numpy)';

/**
 * torchrun as Debian's torch 1.13 runs under Python 3.11: its launcher cannot parse the
 * default `--redirects 0 --tee 0` there, so a non-zero value is given.
 */
export const TORCHRUN = [PYTHON, '-m', 'torch.distributed.run', '--redirects', '1', '--tee', '1'];

/** Runs `command` (PYTHON or TORCHRUN first); resolves to its stdout, rejects with its stderr. */
export function runCommand(command: string[], cwd?: string): Promise<string> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(
      file ?? PYTHON,
      args,
      { cwd, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${command.join(' ')} failed: ${stderr}`)) : resolve(stdout),
    );
  });
}
