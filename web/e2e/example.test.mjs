// The worked example examples/peterson: a crate of its own, outside src/, that registers one model
// with no drawing code and serves its own app (scripts/test.sh builds its site into
// examples/peterson/dist before this suite). The generic Variables view draws it, the state graph
// shows its whole space, and its gap's violation is reached by clicking the failing state.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, open, text, stepCounter, OUT } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.PEX_EXAMPLE_DIST || join(here, '../../examples/peterson/dist'));

let server, browser, base;
before(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build of the example at ${DIST}: run trunk build in examples/peterson first`);
  const port = await new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
  server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', DIST, String(port)], { stdio: 'ignore' });
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(base)).ok) break; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
after(async () => { await browser?.close(); server?.kill(); });

test('the example lists its own model, drawn by the Variables view', async () => {
  const page = await open(browser, base);
  // Its one model, and no tab for a picture it does not have.
  const models = await page.locator('[data-testid=model-picker] option').evaluateAll(os => os.map(o => o.value));
  assert.deepEqual(models, ['peterson']);
  assert.equal(await page.locator('[data-testid=view-tab-picture]').count(), 0);
  assert.match(await page.getAttribute('[data-testid=view-tab-variables]', 'aria-selected'), /true/);
  for (const v of ['flag', 'turn', 'pc']) assert.equal(await page.locator(`[data-testid=view] g[data-id="var-${v}"]`).count(), 1, v);
  const first = page.locator('[data-testid=actions] button:not([disabled])').first();
  await first.click();
  assert.deepEqual(await stepCounter(page), [1, 1]);
  assert.ok(await page.locator('[data-testid=view] g[data-id^="var-"].changed').count() >= 1, 'the step changed nothing on screen');
  assert.deepEqual(page.errors, []);
});

test('the example\'s gap: the state graph holds the whole space and a click reaches the violation', async () => {
  const page = await open(browser, `${base}#v=1&m=peterson&c=flag-after-check`);
  await page.click('[data-testid=view-tab-graph]');
  await page.waitForSelector('[data-testid=state-graph] svg');
  assert.match(await text(page, '[data-testid=graph-summary]'), /Every reachable state/);
  const failing = await page.locator('[data-testid=state-graph] g[data-id^="gnode-"].failing').evaluateAll(gs => gs.map(g => g.dataset.id));
  assert.ok(failing.length >= 1, 'no state where MutualExclusion fails');
  await page.click(`[data-testid=state-graph] g[data-id="${failing[0]}"]`);
  const [step] = await stepCounter(page);
  assert.ok(step >= 1);
  assert.match(await page.getAttribute('[data-prop=MutualExclusion]', 'class'), /bad|fail/);
  // The check in the worker finds the same violation.
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /MutualExclusion/);
  for (const width of [390, 768, 1280]) {
    for (const dark of [false, true]) {
      const p = await open(browser, `${base}#v=1&m=peterson&c=flag-after-check`, { width, dark });
      await p.locator('[data-testid=view]').screenshot({ path: join(OUT, `example-variables-${width}-${dark ? 'dark' : 'light'}.png`) });
      await p.click('[data-testid=view-tab-graph]');
      await p.waitForSelector('[data-testid=state-graph] svg');
      await p.locator('[data-testid=view]').screenshot({ path: join(OUT, `example-graph-${width}-${dark ? 'dark' : 'light'}.png`) });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page overflows by ${overflow}px at ${width}px`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
  assert.deepEqual(page.errors, []);
});
