/**
 * Benchmark of the lab console in headless Chromium (`/usr/bin/chromium`), on an engine with the
 * four stacks deployed (the end-to-end assembly):
 * - the bundle: esbuild build time with an empty cache, then from the cache; bytes the page downloads;
 * - page load: first contentful paint, live (event list loaded, stream connected) and first event rendered;
 * - 5,000 events: load with 5,000 on the timeline, 5,000 more streamed while open, scroll frames, a filter.
 *
 * The 5,000 events are written straight onto the engine's timeline (received → attempt → outcome), as the
 * runners write them, so the numbers are the page's, not the functions'.
 *
 * Run: `node --import tsx bench/console.ts` (or `npm run bench -- console`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildConsole } from '../console/build';
import { startEngine, type Engine } from '../local/engine/engine';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly, PROJECT_DIR } from '../test/e2e/assembly';
import { launchBrowser, type Page, type TestBrowser } from '../test/console/browser';

const EVENTS = 5_000;
const RUNS = 5;

interface LoadTimes {
  readonly fcp: number;
  readonly live: number;
  readonly firstEvent: number;
  readonly bytes: number;
}

/** Opens the console in a new page and reads the paint and the console's own marks. */
async function load(browser: TestBrowser, url: string): Promise<{ page: Page; times: LoadTimes }> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('lab-console:first-event').length > 0, undefined, {
    timeout: 60_000,
  });
  // A string, not a function: tsx would wrap a named helper in `__name`, which the page does not have.
  const times = (await page.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const resources = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    const bytes = nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0);
    return { fcp: at('first-contentful-paint'), live: at('lab-console:live'), firstEvent: at('lab-console:first-event'), bytes };
  })()`)) as LoadTimes;
  return { page, times };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Writes finished events onto the timeline as the runners do: received, one attempt, an outcome. */
function seed(engine: Engine, n: number, from: number): void {
  for (let i = from; i < from + n; i++) {
    const failed = i % 7 === 0;
    const id = engine.timeline.start({
      source: 'sqs',
      functionName: 'bench-QueuePolling-QueueFunction',
      summary: `{"orderId":"o-bench-${i}","item":"pen","quantity":1}`,
    });
    engine.timeline.step(id, { kind: 'attempt', attempt: 1, outcome: failed ? 'error' : 'success', durationMs: 12 });
    engine.timeline.finish(id, failed ? 'dead-lettered' : 'succeeded', { kind: failed ? 'dead-letter' : 'succeeded' });
  }
}

/** Scrolls the event list 100 times by 10 rows and measures each frame. */
async function scrollFrames(page: Page): Promise<{ avg: number; max: number }> {
  return page.evaluate(async () => {
    const scroller = document.querySelector('.scroller')!;
    const frames: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 100; i++) {
      scroller.scrollTop += 300;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const now = performance.now();
      frames.push((now - last) / 2);
      last = now;
    }
    return { avg: frames.reduce((a, b) => a + b, 0) / frames.length, max: Math.max(...frames) };
  });
}

async function main(): Promise<void> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-console-cache-'));
  const cold = await buildConsole({ cacheDir });
  const site = await buildConsole({ cacheDir });
  fs.rmSync(cacheDir, { recursive: true, force: true });
  console.log(`bundle build: ${cold.ms} ms with an empty cache, ${site.ms} ms from the cache`);
  for (const asset of site.assets) console.log(`  ${asset.path}  ${(asset.body.length / 1024).toFixed(1)} KB`);

  await ensureE2eAssembly();
  const engine = await startEngine({
    port: 0,
    owner: E2E_OWNER,
    timeScale: 60,
    projectDir: PROJECT_DIR,
    cdkOut: E2E_CDK_OUT,
    staticSite: site,
  });
  const browser = await launchBrowser();
  try {
    seed(engine, 1, 0);
    const runs: LoadTimes[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { page, times } = await load(browser, `${engine.url}/`);
      runs.push(times);
      await page.close();
    }
    const m = (key: keyof LoadTimes) => median(runs.map((r) => r[key])).toFixed(0);
    console.log(
      `page load (median of ${RUNS}): first contentful paint ${m('fcp')} ms, live ${m('live')} ms, ` +
        `first event rendered ${m('firstEvent')} ms; downloaded ${(Number(m('bytes')) / 1024).toFixed(0)} KB`,
    );

    seed(engine, EVENTS - 1, 1);
    const { page, times } = await load(browser, `${engine.url}/`);
    console.log(
      `with ${EVENTS} events: live ${times.live.toFixed(0)} ms, first event rendered ${times.firstEvent.toFixed(0)} ms`,
    );
    const scroll = await scrollFrames(page);
    console.log(
      `scrolling ${EVENTS} events: ${scroll.avg.toFixed(1)} ms per frame on average, ${scroll.max.toFixed(1)} ms worst`,
    );

    const filterMs = await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('#filter-status')!;
      const started = performance.now();
      select.value = 'dead-lettered';
      select.dispatchEvent(new Event('change'));
      return performance.now() - started;
    });
    console.log(`filter ${EVENTS} events by status: ${filterMs.toFixed(1)} ms`);
    await page.evaluate(() => {
      const select = document.querySelector<HTMLSelectElement>('#filter-status')!;
      select.value = '';
      select.dispatchEvent(new Event('change'));
    });

    await page.evaluate(() => document.querySelector('.scroller')!.scrollTo(0, 0));
    const started = Date.now();
    const marker = `o-bench-${2 * EVENTS - 1}`;
    seed(engine, EVENTS, EVENTS);
    await page.locator('button.event-row', { hasText: marker }).waitFor({ timeout: 60_000 });
    console.log(
      `${EVENTS} more events streamed while open: newest rendered ${Date.now() - started} ms after the first was written`,
    );
    const frames = await scrollFrames(page);
    console.log(`then scrolling: ${frames.avg.toFixed(1)} ms per frame on average, ${frames.max.toFixed(1)} ms worst`);
    if (browser.errors.length > 0) console.log(`browser errors: ${browser.errors.join('\n')}`);
  } finally {
    await browser.close();
    await engine.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
