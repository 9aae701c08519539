/**
 * Headless Chromium for the page tests: Debian's `chromium` driven by playwright-core
 * (.ci/run installs it when missing). Screenshots go to the git-ignored `test-output/`.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Folder for screenshots of the page tests. */
export const TEST_OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** Launches headless Chromium with no network beyond what the page asks of its server. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
