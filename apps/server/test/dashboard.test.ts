import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirementMet } from '@prompt-cache/test-redis';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../src/index.js';
import { createTrigramEmbedder, startTestGateway } from './helpers.js';

const CHROMIUM = process.env.PROMPT_CACHE_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = requirementMet(existsSync(CHROMIUM), {
  missing: `Chromium at ${CHROMIUM}`,
  tests: 'the dashboard browser tests',
  install: 'apt-get update && apt-get install -y chromium',
});
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

/** `expect.poll` with room for a loaded CI machine (2 cores, every package's tests at once). */
function poll<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}

/** Debian's Chromium, headless, with the flags that keep it off the network (TOOLCHAIN item 9). */
async function launch(): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { context, profile };
}

/** Console errors and page errors (a CSP violation shows up here). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

describe.skipIf(!hasChromium)('the dashboard in headless Chromium', () => {
  let gateway: Gateway;
  let keyed: Gateway;
  let semantic: Gateway;
  let browser: { context: BrowserContext; profile: string };

  beforeAll(async () => {
    gateway = await startTestGateway();
    keyed = await startTestGateway({ apiKeys: 'dash-key-123=tenant-d', adminKey: 'dash-admin-123' });
    semantic = await startTestGateway({ semantic: { embedder: createTrigramEmbedder() } });
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.context.close();
    if (browser) rmSync(browser.profile, { recursive: true, force: true });
    await gateway?.close();
    await keyed?.close();
    await semantic?.close();
  });

  it('loads, turns a typed prompt from a miss into a hit, and updates the tiles live', async () => {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(gateway.url);
    await poll(() => page.locator('#main').isVisible()).toBe(true);
    await poll(() => page.locator('#connection').textContent()).toBe('live');
    expect(await page.locator('#tile-hit-rate').textContent()).toBe('0.0%');
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);

    await page.locator('#ask-prompt').fill('How does TTL work in Redis? (dashboard)');
    await page.locator('#ask-button').click();
    await poll(() => page.locator('#ask-status').textContent()).toBe('miss');
    expect(await page.locator('#ask-text').textContent()).toMatch(/^\[simulated\] /);

    await poll(() => page.locator('#ask-button').isEnabled()).toBe(true);
    await page.locator('#ask-button').click();
    await poll(() => page.locator('#ask-status').textContent()).toBe('hit');

    // The tiles and the table follow through the event stream.
    await poll(() => page.locator('#tile-hit-rate').textContent()).toBe('50.0%');
    await poll(() => page.locator('#tile-entries').textContent()).toBe('1');
    await poll(() => page.locator('#tile-hits').textContent()).toBe('1 hits · 1 misses');
    expect(await page.locator('#tile-usd').textContent()).toMatch(/^\$0\.0+[1-9]/);
    await poll(() => page.locator('#recent tr').count()).toBe(2);
    expect(await page.locator('#recent tr.hit td.cache').textContent()).toBe('hit');
    expect(await page.locator('#recent tr.miss td.cache').textContent()).toBe('miss');

    // A call from outside the page (an SDK, curl) shows up too.
    await fetch(`${gateway.url}/v1/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'How does TTL work in Redis? (dashboard)' }),
    });
    await poll(() => page.locator('#recent tr').count()).toBe(3);
    await poll(() => page.locator('#tile-hit-rate').textContent()).toBe('66.7%');

    // The store's state, what the bytes count, and an answer that was not stored, with the reason.
    expect(await page.locator('#store').getAttribute('class')).toContain('state-ok');
    expect(await page.locator('#tile-bytes').textContent()).toMatch(/of cached values$/);
    await fetch(`${gateway.url}/model/${encodeURIComponent('amazon.nova-lite-v1:0')}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: [{ text: 'This is BLOCKED by policy (dashboard)' }] }],
        guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      }),
    });
    await poll(() => page.locator('#recent tr').count()).toBe(4);
    expect(await page.locator('#recent tr:first-child td.cache').textContent()).toBe(
      'miss · not stored: guardrail_intervened',
    );
    await poll(() => page.locator('#tile-not-stored').textContent()).toBe(
      'not stored: guardrail_intervened 1',
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path, fullPage: true });
    const png = readFileSync(path);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for a key when the gateway has keys, and works with one', async () => {
    const page = await browser.context.newPage();
    await page.goto(keyed.url);
    await poll(() => page.locator('#key-panel').isVisible()).toBe(true);
    expect(await page.locator('#main').isVisible()).toBe(false);
    await page.locator('#key-input').fill('wrong-key');
    await page.locator('#key-form button').click();
    await poll(() => page.locator('#key-error').textContent()).toContain('not known');
    await page.locator('#key-input').fill('dash-key-123');
    await page.locator('#key-form button').click();
    await poll(() => page.locator('#main').isVisible()).toBe(true);
    await poll(() => page.locator('#scope').textContent()).toBe('namespace tenant-d');
    await page.locator('#ask-prompt').fill('A tenant asks (dashboard)');
    await page.locator('#ask-button').click();
    await poll(() => page.locator('#ask-status').textContent()).toBe('miss');
    await poll(() => page.locator('#recent tr').count()).toBe(1);
    expect(await page.locator('#recent td.namespace').textContent()).toBe('tenant-d');
    await page.close();
  });

  it('shows semantic hits, their mean similarity and the prompt that answered each', async () => {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(semantic.url);
    await poll(() => page.locator('#connection').textContent()).toBe('live');
    expect(await page.locator('#tile-semantic').textContent()).toBe('0');
    const question = 'How do I configure the retention period of logs in the Milvus server?';
    await page.locator('#ask-prompt').fill(question);
    await page.locator('#ask-button').click();
    await poll(() => page.locator('#ask-status').textContent()).toBe('miss');
    await poll(() => page.locator('#tile-similarity').textContent()).toBe('1 prompt indexed');

    await page
      .locator('#ask-prompt')
      .fill('How can I configure the log retention period of a Milvus server?');
    await page.locator('#ask-button').click();
    await poll(() => page.locator('#ask-status').textContent()).toMatch(/^semantic hit 0\.\d\d$/);
    expect(await page.locator('#ask-matched').textContent()).toBe(`answered as: ${question}`);
    await poll(() => page.locator('#tile-semantic').textContent()).toBe('1');
    // A semantic hit stores nothing: the index still holds the one prompt that answered.
    expect(await page.locator('#tile-similarity').textContent()).toMatch(
      /^mean similarity 0\.\d\d · 1 prompt indexed$/,
    );
    expect(await page.locator('#tile-hits').textContent()).toBe('1 hits · 1 misses');
    const row = page.locator('#recent tr:first-child td.cache');
    await poll(() => row.locator('.matched').textContent()).toBe(`answered as: ${question}`);
    expect(await row.textContent()).toMatch(/^semantic-hit 0\.\d\danswered as: /);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-semantic.png'), fullPage: true });

    // A gateway without --semantic says how to turn it on.
    const plain = await browser.context.newPage();
    await plain.goto(gateway.url);
    await poll(() => plain.locator('#tile-semantic').textContent()).toBe('off');
    expect(await plain.locator('#tile-similarity').textContent()).toBe('start the gateway with --semantic');
    expect(errors).toEqual([]);
    await plain.close();
    await page.close();
  });
});
