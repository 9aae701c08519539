/**
 * Headless Chromium for the page tests: Debian's `chromium` driven by playwright-core
 * (.ci/run installs it when missing). Screenshots go to a folder the test removes, or are
 * kept in the folder `TESSERA_TEST_OUTPUT` names (to look at them).
 */
import { mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Folder for screenshots of the page tests: `TESSERA_TEST_OUTPUT`, else `fallback` (a temp folder). */
export function screenshotFolder(fallback: string): string {
  const dir = process.env['TESSERA_TEST_OUTPUT'] || fallback;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Launches headless Chromium with no network beyond what the page asks of its server. */
export async function launchChromium(): Promise<Browser> {
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
