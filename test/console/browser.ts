import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where the tests expect Chromium (Debian's `chromium` package). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that let headless Chromium run in a container and stay off the network. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile, and what its pages reported as errors. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** Errors from `console.error` and uncaught exceptions of every page, in order. */
  readonly errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium with a fresh user-data dir. Throws with the install command when it
 * is missing, rather than failing later with an obscure launch error.
 */
export async function launchBrowser(
  opts: {
    /** Console errors that are expected, e.g. Chromium's network log of an HTTP error a drill asked for. */
    readonly expected?: (text: string, url: string) => boolean;
  } = {},
): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The console's browser tests need Chromium at ${CHROMIUM}. Install it with ` +
        '`sudo apt-get update && sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH.',
    );
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-console-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 800 },
  });
  const errors: string[] = [];
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() !== 'error' || opts.expected?.(message.text(), message.location().url)) return;
      errors.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export type { Browser, Page };
