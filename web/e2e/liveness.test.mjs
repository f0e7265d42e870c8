// Liveness in the browser: the worker's check finds a temporal property broken, the counterexample
// loads as a lasso (the timeline marks the loop, play goes around it, the view says it repeats
// forever), the properties panel says why it fails and how the loop meets fairness, and links and
// trace files keep the loop.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, timelineLabels, stepCounter, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('seqlock progress-next-only: the check finds ReaderProgress broken and loads a lasso that plays around its loop', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=progress-next-only`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  const native = pex('check', 'seqlock', '--config', 'progress-next-only', '--json');
  assert.equal(native.invariant, 'ReaderProgress');
  assert.match(await text(page, '[data-testid=check-result]'), /ReaderProgress/);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  const labels = native.trace.slice(1).map(s => s.action);
  assert.deepEqual(await timelineLabels(page), labels);
  // The loop: where it starts, and the chip after the last step.
  const back = native.lasso.back_to;
  assert.equal(typeof back, 'number');
  assert.equal(await page.locator(`[data-testid=timeline] li.loop-start[data-step="${back}"]`).count(), 1);
  assert.match(await text(page, '[data-testid=loop-end]'), new RegExp(`back to step ${back}`));
  assert.match(await text(page, '[data-testid=repeat-banner]'), new RegExp(`Steps ${back}–${labels.length} repeat forever`));
  // Why it fails, and how the loop meets WF_vars(Next).
  assert.match(await text(page, '[data-testid=temporal] [data-prop=ReaderProgress]'), /Fails on this behaviour: P holds at step \d+, and Q holds at no step after it/);
  assert.match(await text(page, '[data-testid=fairness]'), /WF_vars\(Next\)/);
  const fair = await text(page, '[data-testid=loop-fairness]');
  assert.match(fair, /taken in the loop/);
  assert.match(fair, /Every fairness condition is met, and yet the property fails/);
  await page.screenshot({ path: join(OUT, 'liveness-seqlock-lasso-1280.png'), fullPage: true });
  // Forward at the last step goes back into the loop.
  assert.deepEqual(await stepCounter(page), [labels.length, labels.length]);
  await page.click('[data-testid=forward]');
  assert.deepEqual(await stepCounter(page), [back, labels.length]);
  // Play goes around the loop: it never leaves the loop's steps and the trace does not grow.
  await page.click('[data-testid=play]');
  await page.waitForTimeout(1500);
  await page.click('[data-testid=play]');
  const [at] = await stepCounter(page);
  assert.ok(at >= back && at <= labels.length, `play stayed in the loop (${at})`);
  assert.deepEqual(await timelineLabels(page), labels);
  // The link keeps the loop.
  await page.waitForFunction(() => location.hash.includes('loop='));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, new RegExp(`loop=${back}\\b`));
  const again = await open(env.browser, `${env.base}${hash}`);
  assert.equal(await again.locator(`[data-testid=timeline] li.loop-start[data-step="${back}"]`).count(), 1);
  assert.match(await text(again, '[data-testid=temporal] [data-prop=ReaderProgress]'), /Fails on this behaviour/);
  // A link whose loop is not one of the model's keeps the trace, drops the loop and says so.
  const bad = hash.replace(/loop=\d+/, 'loop=0');
  const page3 = await open(env.browser, `${env.base}${bad}`);
  assert.match(await text(page3, '.notices'), /no action leads from its last step .* back to step 0/);
  assert.equal(await page3.locator('[data-testid=loop-end]').count(), 0);
  assert.deepEqual(await timelineLabels(page3), labels);
  for (const p of [page, again, page3]) assert.deepEqual(p.errors, []);
  await page.context().close(); await again.context().close(); await page3.context().close();
});

test('occ termination-unfair: a stuttering end says the state repeats forever', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=occ&c=termination-unfair`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  const native = pex('check', 'occ', '--config', 'termination-unfair', '--json');
  assert.equal(native.lasso, 'stuttering');
  assert.match(await text(page, '[data-testid=loop-end]'), /stutters forever/);
  assert.match(await text(page, '[data-testid=repeat-banner]'), /nothing changes: this state repeats forever/);
  assert.match(await text(page, '[data-testid=loop-fairness]'), /Fairness: none|No fairness is assumed/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
