// Each panel is a function component that renders only when what it shows changes: during a
// running check, the worker's progress messages render the check panel and not the root, the
// timeline or the view; a step renders the view and the timeline. Read from window.__pexRenders, the render
// counts every panel keeps (see src/ui/panels.rs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, open, stepCounter } from './harness.mjs';

let env;
before(async () => { env = await start({ hooks: true }); });
after(async () => { await env?.stop(); });

// Paxos with five acceptors and three values: a check that runs far longer than this test.
const BIG_PAXOS = '#v=1&m=paxos&c=safe&k.Acceptors=%7B1%2C%202%2C%203%2C%204%2C%205%7D&k.Values=%7Bv1%2C%20v2%2C%20v3%7D';
const renders = page => page.evaluate(() => ({ ...(window.__pexRenders || {}) }));

test('a running check renders the check panel alone; a step renders the view and the timeline', async () => {
  const page = await open(env.browser, `${env.base}${BIG_PAXOS}`);
  await page.click('[data-testid=check-run]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=check-distinct]')?.innerText || 0) > 0, null, { timeout: 60000 });
  await page.waitForTimeout(300);
  const before = await renders(page);
  const distinctBefore = Number(await page.locator('[data-testid=check-distinct]').innerText());
  await page.waitForTimeout(2000);
  const during = await renders(page);
  const distinctAfter = Number(await page.locator('[data-testid=check-distinct]').innerText());
  assert.ok(distinctAfter > distinctBefore, `the check made progress (${distinctBefore} → ${distinctAfter})`);
  assert.ok(during.check > before.check, `the check panel rendered (${before.check} → ${during.check})`);
  assert.equal(during.timeline, before.timeline, 'the timeline did not render during the check');
  assert.equal(during.view, before.view, 'the view did not render during the check');
  assert.equal(during.inspector, before.inspector, 'the inspector did not render during the check');
  // The worker is the check panel's own (src/ui/check.rs): its messages do not reach the root.
  assert.equal(await page.locator('.notices .notice').count(), 0, 'no notice that could fade meanwhile');
  assert.equal(during.app, before.app, 'the root did not render during the check');

  const [c0] = await stepCounter(page);
  await page.click('[data-testid=random-step]');
  await page.waitForFunction(c => document.querySelector('[data-testid=step-counter]').innerText.includes(`step ${c + 1} `), c0);
  const stepped = await renders(page);
  assert.ok(stepped.view > during.view, 'a step rendered the view');
  assert.ok(stepped.timeline > during.timeline, 'a step rendered the timeline');

  await page.click('[data-testid=check-cancel]');
  await page.waitForSelector('[data-testid=check-run]', { timeout: 15000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
