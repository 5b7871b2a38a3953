/**
 * Takes the README's screenshots of the lab console (`docs/console/*.png`): each pattern's section
 * after a drill, and one event's timeline, at 1280×800 in headless Chromium (`/usr/bin/chromium`).
 *
 * Run: `node --import tsx bench/console-screenshots.ts`
 */
import * as path from 'node:path';
import { buildConsole } from '../console/build';
import { startEngine } from '../local/engine/engine';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly, PROJECT_DIR } from '../test/e2e/assembly';
import { launchBrowser, type Page } from '../test/console/browser';

const OUT = path.join(PROJECT_DIR, 'docs', 'console');

/** Fills a source's form and sends it. */
async function send(page: Page, source: string, fields: { orderId: string; drill?: string }): Promise<void> {
  const form = page.locator(`form[data-source="${source}"]`);
  await form.getByLabel('orderId').fill(fields.orderId);
  await form.getByLabel('drill').selectOption(fields.drill ?? 'none');
  await form.locator('button[type="submit"]').click();
  await form.locator('output.ok, output.error').waitFor({ timeout: 30_000 });
}

async function main(): Promise<void> {
  await ensureE2eAssembly();
  const engine = await startEngine({
    port: 0,
    owner: E2E_OWNER,
    timeScale: 60,
    projectDir: PROJECT_DIR,
    cdkOut: E2E_CDK_OUT,
    staticSite: await buildConsole(),
  });
  const browser = await launchBrowser({
    expected: (text, url) => text.startsWith('Failed to load resource') && url.includes('/restapis/'),
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${engine.url}/`);
    await page.waitForSelector('body[data-live="true"]');
    await send(page, 'api-post', { orderId: 'o-1001', drill: 'error-once' });
    await send(page, 'api-post', { orderId: 'o-1001', drill: 'error-once' });
    await send(page, 's3', { orderId: 'o-2001', drill: 'error' });
    await send(page, 'sns', { orderId: 'o-2002' });
    await send(page, 'kinesis', { orderId: 'o-3001', drill: 'error' });
    await send(page, 'dynamodb', { orderId: 'o-3002' });
    await send(page, 'sqs', { orderId: 'o-4001', drill: 'error' });
    await send(page, 'sqs-fifo', { orderId: 'o-4002' });
    // Until every event has its outcome (the Kinesis record's retries take longest).
    const deadline = Date.now() + 120_000;
    while (engine.timeline.list({ status: 'in-flight' }).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 1500)); // one more poll of the queue counters
    for (const stack of ['RequestResponse', 'AsyncEvents', 'StreamPolling', 'QueuePolling']) {
      const file = path.join(OUT, `${stack.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.png`);
      await page.locator(`section[data-pattern="${stack}"]`).screenshot({ path: file });
      console.log(`wrote ${path.relative(PROJECT_DIR, file)}`);
    }
    await page.locator('#filter-source').selectOption('s3');
    await page.locator('button.event-row').first().click();
    await page.locator('article.timeline').waitFor();
    await page.locator('section.events').screenshot({ path: path.join(OUT, 'event-timeline.png') });
    console.log('wrote docs/console/event-timeline.png');
    await page.setViewportSize({ width: 480, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(OUT, 'narrow.png') });
    console.log('wrote docs/console/narrow.png');
    if (browser.errors.length > 0) throw new Error(`Browser errors:\n${browser.errors.join('\n')}`);
  } finally {
    await browser.close();
    await engine.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
