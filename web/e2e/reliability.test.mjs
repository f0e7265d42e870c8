// End-to-end tests for what must never break or mislead: keys that do not scroll the page,
// honest clipboard messages, notices that fade, a page that says why it cannot start, long
// sessions (a config switch on a long trace runs in slices; a minute of play leaves the page
// responsive).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, text, stepCounter, pauseAndReadShown } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('Space, Home and End act on the trace and never scroll the page', async () => {
  const page = await open(env.browser, env.base, { width: 1280, height: 500 });
  const warnings = [];
  page.on('console', m => { if (/preventDefault|passive/i.test(m.text())) warnings.push(m.text()); });
  const scrollable = await page.evaluate(() => document.documentElement.scrollHeight > innerHeight + 200);
  assert.ok(scrollable, 'the page is taller than the window, so a scroll would show');
  await page.locator('body').press('r');
  await page.locator('body').press('r');
  await page.locator('body').press(' ');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => scrollY), 0, 'Space started play without scrolling');
  assert.match(await text(page, '[data-testid=play]'), /Pause/);
  await page.locator('body').press(' ');
  assert.match(await text(page, '[data-testid=play]'), /Play/);
  await page.locator('body').press('Home');
  assert.equal((await stepCounter(page))[0], 0);
  await page.locator('body').press('End');
  const [c, n] = await stepCounter(page);
  assert.equal(c, n);
  assert.equal(await page.evaluate(() => scrollY), 0, 'Home and End moved the cursor, not the page');
  // Keys typed into a field stay the field's.
  await page.locator('[data-testid=seed]').press('End');
  await page.locator('[data-testid=seed]').type(' ');
  assert.equal((await stepCounter(page))[0], n);
  assert.deepEqual(warnings, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Copy link says copied only when the clipboard took it, and offers the link when it did not', async () => {
  const page = await open(env.browser, env.base);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.base).origin });
  await page.click('[data-testid=copy-link]');
  await page.waitForSelector('[data-testid=notice-info]');
  assert.match(await text(page, '[data-testid=notice-info]'), /Link copied/);
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /#v=1&m=seqlock/);
  // Info notices fade on their own.
  await page.waitForSelector('[data-testid=notice-info]', { state: 'detached', timeout: 12000 });
  await page.context().close();

  // A frame or a browser that refuses the write (as a cross-origin iframe without the permission does).
  const refused = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await refused.addInitScript(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  const p2 = await refused.newPage();
  await p2.goto(env.base);
  await p2.waitForSelector('[data-testid=view]');
  await p2.click('[data-testid=copy-link]');
  await p2.waitForSelector('[data-testid=notice-error]');
  const said = await text(p2, '[data-testid=notice-error]');
  assert.match(said, /not copied/);
  assert.match(said, /permission denied/i);
  assert.match(said, /#v=1&m=seqlock/, 'the link is shown to copy by hand');
  assert.equal(await p2.locator('[data-testid=notice-info]').count(), 0, 'no "Link copied"');
  await refused.close();
});

test('a page whose WebAssembly cannot load says so instead of staying blank', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.route('**/*.wasm', route => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(env.base);
  await page.waitForSelector('.boot-failed', { timeout: 15000 });
  assert.match(await text(page, '.boot-failed'), /could not start/);
  assert.match(await text(page, '.boot-failed'), /public-url/);
  await context.close();

  // A build for another public URL: its script is missing too.
  const wrong = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p1 = await wrong.newPage();
  await p1.route('**/app-*.js', route => route.fulfill({ status: 404, body: 'not found' }));
  await p1.goto(env.base);
  await p1.waitForSelector('.boot-failed', { timeout: 15000 });
  assert.match(await text(p1, '.boot-failed'), /could not start/);
  await wrong.close();

  // While the wasm downloads, a loading indicator shows.
  const slow = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p2 = await slow.newPage();
  let release;
  const held = new Promise(r => { release = r; });
  await p2.route('**/app-*_bg.wasm', async route => { await held; await route.continue(); });
  await p2.goto(env.base, { waitUntil: 'domcontentloaded' });
  assert.match(await text(p2, '#boot'), /Loading Protocol Explorer/);
  release();
  await p2.waitForSelector('[data-testid=view]');
  assert.equal(await p2.locator('#boot').count(), 0, 'the app replaced the loading indicator');
  await slow.close();
});

test('switching config on a long trace replays it in slices with progress, then compares', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&seed=3`);
  await page.locator('[data-testid=stop-at-violation]').uncheck();
  await page.locator('[data-testid=speed]').fill('9');
  await page.click('[data-testid=play]');
  await page.waitForFunction(() => {
    const m = document.querySelector('[data-testid=step-counter]')?.textContent.match(/of (\d+)/);
    return m && Number(m[1]) > 40000;
  }, null, { timeout: 60000 });
  const shown = await pauseAndReadShown(page);
  assert.match(await text(page, '[data-testid=play]'), /Play/, 'the click paused play');
  assert.equal(await text(page, '[data-testid=step-counter]'), shown, 'play stopped at the step shown when Pause was clicked');
  const [, n] = await stepCounter(page);
  await page.evaluate(() => {
    window.__sawProgress = false;
    new MutationObserver(() => { if (document.querySelector('[data-testid=work-progress]')) window.__sawProgress = true; })
      .observe(document.body, { subtree: true, childList: true });
  });
  await page.click('[data-testid=config-seed-invariant]');
  await page.waitForSelector('[data-testid=comparison]', { timeout: 60000 });
  assert.ok(await page.evaluate(() => window.__sawProgress), 'progress was shown while replaying');
  assert.match(await text(page, '[data-testid=comparison]'), /safe → seed-invariant/);
  assert.equal((await stepCounter(page))[1], n, 'every step replays under seed-invariant');
  assert.match(await page.locator('[data-testid=config-seed-invariant]').getAttribute('class'), /active/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a busy page, a pause stops at the step shown when it was clicked, and nothing plays after it', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&seed=3`);
  await page.locator('[data-testid=stop-at-violation]').uncheck();
  await page.locator('[data-testid=speed]').fill('9');
  // A phone's CPU (six times slower): each tick of play takes its whole budget, renders are slow,
  // and ticks queue behind the click.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  await page.click('[data-testid=play]');
  for (const at of [500, 1500, 3000]) {
    await page.waitForFunction(at => Number(document.querySelector('[data-testid=step-counter]')?.textContent.match(/of (\d+)/)?.[1]) > at, at, { timeout: 60000 });
    const shown = await pauseAndReadShown(page);
    assert.match(shown, /step (\d+) of \1$/, 'while playing, the counter shows the end of the trace');
    assert.match(await text(page, '[data-testid=play]'), /Play/, 'the click paused play');
    assert.equal(await text(page, '[data-testid=step-counter]'), shown, `paused at the step shown when Pause was clicked (${shown})`);
    await page.waitForTimeout(400);
    assert.equal(await text(page, '[data-testid=step-counter]'), shown, 'no step was played after the pause');
    await page.click('[data-testid=play]');
  }
  await page.click('[data-testid=play]');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('after a minute of paxos play, a click is still handled', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=safe&seed=5`);
  await page.locator('[data-testid=stop-at-violation]').uncheck();
  await page.locator('[data-testid=speed]').fill('9');
  await page.click('[data-testid=play]');
  await page.waitForTimeout(60000);
  await page.click('[data-testid=play]');
  const [, n] = await stepCounter(page);
  assert.ok(n > 1000, `${n} steps played`);
  await page.click('[data-testid=back]');
  assert.deepEqual(await stepCounter(page), [n - 1, n]);
  await page.click('[data-testid=timeline] li.step:first-child button');
  const [c] = await stepCounter(page);
  assert.ok(c < n - 1);
  assert.equal(await page.locator('[data-testid=trace-view]:not([data-chart]) svg').count(), 1, 'the ballot timeline is still drawn');
  assert.equal(await page.locator('[data-testid=trace-view][data-chart] svg').count(), 1, 'and the message chart under it');
  for (const w of await page.locator('[data-testid=trace-view-window]').allTextContents()) assert.match(w, new RegExp(`of ${n}$`));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
