/**
 * The lab console in a real headless Chromium, on an engine with the four stacks deployed: the page
 * sends through the AWS APIs on its own origin and follows the engine's event stream.
 */
import { buildConsole } from '../../console/build';
import { startEngine, type Engine } from '../../local/engine/engine';
import { E2E_CDK_OUT, E2E_OWNER, ensureE2eAssembly, PROJECT_DIR } from '../e2e/assembly';
import { launchBrowser, type Page, type TestBrowser } from './browser';

/** Real-time bound of every wait on the page: generous, the machine may be busy. */
const WAIT_MS = 20_000;

let engine: Engine;
let browser: TestBrowser;
let page: Page;
let engineStopped = false;

beforeAll(async () => {
  await ensureE2eAssembly();
  const site = await buildConsole();
  // 120×: the asynchronous retries (1 min, 2 min) take 0.5 s and 1 s; SQS's 32 s visibility timeout 0.27 s.
  engine = await startEngine({
    port: 0,
    owner: E2E_OWNER,
    timeScale: 120,
    projectDir: PROJECT_DIR,
    cdkOut: E2E_CDK_OUT,
    staticSite: site,
  });
  // Chromium logs every HTTP error status of a fetch; the API drills ask for 502s and 400s on purpose.
  browser = await launchBrowser({
    expected: (text, url) => text.startsWith('Failed to load resource') && url.includes('/restapis/'),
  });
  page = await browser.newPage();
  await page.goto(`${engine.url}/`);
  await page.waitForSelector('body[data-live="true"]', { timeout: WAIT_MS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (!engineStopped) await engine?.stop();
});

/** The send form of a source. */
const form = (source: string) => page.locator(`form[data-source="${source}"]`);

/** A counter of a box in a pattern's section, e.g. the DLQ's `delivered`. */
const counter = (stack: string, box: string, name: string, nth = 0) =>
  page.locator(`section[data-pattern="${stack}"] .box.${box}`).nth(nth).locator(`dd[data-counter="${name}"]`);

/** Opens the newest event whose row contains `text` and returns its timeline. */
async function openEvent(text: string) {
  await page.locator('button.event-row', { hasText: text }).first().click();
  return page.locator('article.timeline');
}

test('shows one section per pattern, headed with its name', async () => {
  // GIVEN the console on an engine with the four stacks
  // WHEN the page has loaded
  const headings = await page.locator('section.pattern h2').allTextContents();

  // THEN each pattern has its section
  expect(headings.map((h) => h.split(' ')[0])).toEqual(['Request/response', 'Asynchronous', 'Stream', 'Queue']);
  expect(browser.errors).toEqual([]);
});

test("a pattern's retry behaviour shows the README's text and the settings as deployed", async () => {
  // GIVEN the Queue polling section
  const details = page.locator('section[data-pattern="QueuePolling"] details.retries');

  // WHEN its retry behaviour is opened
  await details.locator('summary').click();

  // THEN the README's text and the queue's redrive policy, read through the SQS API, are there
  await containsText(details, 'After the 3rd receive (maxReceiveCount)');
  await containsText(details.locator('ul.deployed'), 'maxReceiveCount 3');
  expect(browser.errors).toEqual([]);
});

test('every input, select and button has an accessible name', async () => {
  // GIVEN the loaded console
  // WHEN every control is checked for a label, an aria-label or text
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, button')]
      .filter((el) => {
        const labelled = (el as HTMLInputElement).labels?.length ?? 0;
        return labelled === 0 && !el.getAttribute('aria-label') && !el.textContent?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );

  // THEN none is unnamed
  expect(unnamed).toEqual([]);
});

test('a form can be filled and sent with the keyboard alone', async () => {
  // GIVEN the Kinesis form's order id field focused
  const kinesis = form('kinesis');
  await kinesis.getByLabel('orderId').focus();

  // WHEN an id is typed and the focus tabs through the fields to the send button, which Enter presses
  await page.keyboard.type('o-console-keys');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent);
  await page.keyboard.press('Enter');

  // THEN the record is put on the stream
  expect(focused).toBe('Send to Kinesis');
  await containsText(kinesis.locator('output'), 'PutRecord');
  expect(browser.errors).toEqual([]);
});

test('a poison SQS message reaches the DLQ and the DLQ counter moves', async () => {
  // GIVEN the SQS form with the error drill
  const sqs = form('sqs');
  await sqs.getByLabel('orderId').fill('o-console-poison');
  await sqs.getByLabel('drill').selectOption('error');

  // WHEN it is sent from the page
  await sqs.getByRole('button', { name: 'Send to SQS', exact: true }).click();

  // THEN the event is dead-lettered after its receives, and the DLQ counts it
  await containsText(sqs.locator('output'), 'SendMessage');
  await page
    .locator('button.event-row[data-status="dead-lettered"]', { hasText: 'o-console-poison' })
    .waitFor({ timeout: WAIT_MS });
  await expectText(counter('QueuePolling', 'failure', 'delivered'), '1');
  await expectText(counter('QueuePolling', 'failure', 'visible'), '1');
  expect(browser.errors).toEqual([]);
});

test('an API order with error-once fails, then succeeds when sent again', async () => {
  // GIVEN the API POST form with an order id and the error-once drill
  const api = form('api-post');
  await api.getByLabel('orderId').fill('o-console-once');
  await api.getByLabel('drill').selectOption('error-once');
  const send = api.getByRole('button', { name: 'Send to API POST /orders' });

  // WHEN it is sent twice
  await send.click();
  await containsText(api.locator('output'), '→ 502');
  await send.click();

  // THEN the second one is recorded
  await containsText(api.locator('output'), '→ 201');
  await expectText(counter('RequestResponse', 'function', 'failed'), '1');
  await expectText(counter('RequestResponse', 'function', 'succeeded'), '1');
  expect(browser.errors).toEqual([]);
});

test('an S3 error drill shows two retries scheduled, then the failure destination', async () => {
  // GIVEN the S3 form with the error drill
  const s3 = form('s3');
  await s3.getByLabel('orderId').fill('o-console-s3');
  await s3.getByLabel('drill').selectOption('error');

  // WHEN an object is uploaded from the page
  await s3.getByRole('button', { name: /^Send to S3/ }).click();

  // THEN its timeline shows two retries, each with its due time, then the on-failure destination
  await page
    .locator('button.event-row[data-status="failed"]', { hasText: 'o-console-s3' })
    .waitFor({ timeout: WAIT_MS });
  const timeline = await openEvent('o-console-s3');
  await hasCount(timeline.locator('li.step-retry-scheduled'), 2);
  await containsText(timeline.locator('li.step-retry-scheduled').first(), 'real at 120×');
  await hasCount(timeline.locator('li.step-attempt'), 3);
  await containsText(timeline.locator('li.step-destination'), 'FailureQueue');
  await expectText(counter('AsyncEvents', 'failure', 'delivered', 0), '1');
  expect(browser.errors).toEqual([]);
});

test('a lower max quantity from the page rejects a larger order', async () => {
  // GIVEN the Asynchronous events stack's maximum quantity lowered to 3 through SSM, and the cache time shown
  const setting = page.locator('form.setting[data-stack="AsyncEvents"]');
  await containsText(setting.locator('output'), 'cache it for 30 s');
  await setting.getByLabel(/maximum quantity/).fill('3');
  await setting.getByRole('button', { name: 'Save max quantity for Asynchronous events' }).click();
  await containsText(setting.locator('output'), 'within 30 s');

  // WHEN an order of 5 is published to SNS (its function has no warm environment holding the old value)
  const sns = form('sns');
  await sns.getByLabel('orderId').fill('o-console-big');
  await sns.getByLabel('quantity').fill('5');
  await sns.getByRole('button', { name: 'Send to SNS' }).click();

  // THEN the function rejects it with the new maximum
  await containsText(sns.locator('output'), 'Publish');
  await page.locator('#filter-source').selectOption('sns');
  const timeline = await openEvent('SNS message');
  await containsText(timeline.locator('li.step-attempt').first(), 'exceeds the maximum of 3');
  expect(browser.errors).toEqual([]);
});

test('says so when the engine stops', async () => {
  // GIVEN the live console
  // WHEN the engine stops
  engineStopped = true;
  await engine.stop();

  // THEN the page shows a message instead of failing silently
  await containsText(page.locator('#banner'), 'local engine');
  // Only the browser's own network log may mention the refused connections; nothing uncaught.
  expect(browser.errors.filter((e) => !/Failed to load resource|net::ERR_/.test(e))).toEqual([]);
});

type Locator = ReturnType<Page['locator']>;

/** Waits until the locator's (first) element's text is exactly `text`. */
async function expectText(locator: Locator, text: string): Promise<void> {
  await until(
    async () => (await locator.first().textContent())?.trim() === text,
    () => locator.first().textContent(),
    `text "${text}"`,
  );
}

/** Waits until the locator's (first) element's text contains `text`. */
async function containsText(locator: Locator, text: string): Promise<void> {
  await until(
    async () => ((await locator.first().textContent()) ?? '').includes(text),
    () => locator.first().textContent(),
    `text containing "${text}"`,
  );
}

/** Waits until the locator matches `n` elements. */
async function hasCount(locator: Locator, n: number): Promise<void> {
  await until(
    async () => (await locator.count()) === n,
    () => locator.count(),
    `${n} elements`,
  );
}

/** Polls `check` until it holds; fails with what was last seen. */
async function until(check: () => Promise<boolean>, seen: () => Promise<unknown>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Waited ${WAIT_MS} ms for ${what}; last seen: ${String(await seen())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
