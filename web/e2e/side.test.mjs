// Side by side: the paxos gap's counterexample played beside safe, step-aligned; the first step
// where they part is marked in both views and in the timeline.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('the paxos gap beside safe: the ignored value rule is where they part', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  const native = pex('check', 'paxos', '--config', 'ignore-accepted', '--json');
  await page.selectOption('[data-testid=side-by-side]', 'safe');
  await page.waitForSelector('[data-testid=side-view]');
  // The first action safe does not enable is the Accept that ignored its quorum's value.
  const banner = await text(page, '[data-testid=divergence-banner]');
  const m = banner.match(/part at step (\d+): (Accept\([^)]*\)[^ ]*) is not enabled under safe/);
  assert.ok(m, banner);
  const at = Number(m[1]);
  assert.equal(native.trace[at].action, m[2]);
  // The safe side stops just before it; at an earlier step both sides show the same step.
  assert.match(await text(page, '[data-testid=side-view] h2'), new RegExp(`safe · step ${at - 1}`));
  assert.equal(await page.locator(`[data-testid=timeline] li.diverge[data-step="${at}"]`).count(), 1);
  await page.screenshot({ path: join(OUT, 'side-by-side-paxos-1280.png'), fullPage: true });
  await page.click(`[data-testid=timeline] li[data-step="${at - 2}"] button`);
  assert.deepEqual(await stepCounter(page), [at - 2, native.trace.length - 1]);
  assert.match(await text(page, '[data-testid=side-view] h2'), new RegExp(`safe · step ${at - 2}`));
  assert.match(await text(page, '[data-testid=divergence-banner]'), /Ahead, at step \d+, the two configurations part/);
  // Back to one view.
  await page.selectOption('[data-testid=side-by-side]', '');
  assert.equal(await page.locator('[data-testid=side-view]').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
