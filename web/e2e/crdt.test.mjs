// End-to-end tests of the redis-rust crdt model: stepping draws the replicas, their links and the
// deltas in flight; the check runs in the browser on every config (safe's time is printed), each
// gap's shortest counterexample replays in the timeline with the right invariant red, the
// tie-break gap's replicas diverge when stepped on, and the view is screenshotted at 1280 px in
// both themes (web/e2e/out/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, timelineLabels, invariant, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

async function clickAction(page, label) {
  await page.click(`[data-testid=actions] [data-action="${label}"]`);
}

const view = (page, id) => page.locator(`[data-testid=view] [data-id="${id}"]`);
const enabled = (page, label) => page.locator(`[data-testid=actions] [data-action="${label}"]`).count();

test('crdt safe: a cut link holds the delta until the heal, then the replicas converge', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=crdt&c=safe`);
  assert.equal(await page.locator('[data-testid=view] [data-id^=replica-]').count(), 2);
  await clickAction(page, 'Set(1, k1, v1)');
  assert.match(await view(page, 'delta 1->2 k1 @(1,1)').getAttribute('class'), /\bsent\b/);
  assert.match(await text(page, '[data-testid=caption]'), /Replica 1 ticked its clock to 1 and wrote k1=v1 @\(1,1\); it sent 1 delta/);
  await clickAction(page, 'CreatePartition(1, 2)');
  assert.match(await view(page, 'link-0-1').getAttribute('class'), /\bcut\b/);
  assert.match(await view(page, 'delta 1->2 k1 @(1,1)').getAttribute('class'), /\bheld\b/);
  assert.equal(await enabled(page, 'ReceiveDelta(2, k1=v1 @(1,1))'), 0, 'a cut link delivers nothing');
  await clickAction(page, 'HealPartition(1, 2)');
  await clickAction(page, 'ReceiveDelta(2, k1=v1 @(1,1))');
  assert.match(await view(page, 'delta 1->2 k1 @(1,1) (deliver)').getAttribute('class'), /\bdelivered\b/);
  assert.match(await text(page, '[data-testid=caption]'), /the delta is later, so it replaced the local register/);
  assert.match(await invariant(page, 'EventualConvergence'), /\bok\b/);
  assert.doesNotMatch(await view(page, 'replica-2').getAttribute('class'), /\bdiverged\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('crdt safe: the in-browser check covers the 33,134 states pex and TLC find', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=crdt&c=safe`);
  const started = Date.now();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  const wall = (Date.now() - started) / 1000;
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'crdt', '--config', 'safe', '--json');
  assert.equal(native.distinct, 33134);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  const figures = await text(page, '[data-testid=check-figures]');
  console.log(`crdt safe in the browser: ${wall.toFixed(2)} s from click to result; panel: ${figures.replace(/\s+/g, ' ')}`);
  assert.ok(wall < 5, `the check took ${wall} s`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const { config, invariantName, steps } of [
  { config: 'tie-break-missing', invariantName: 'MergeCommutative', steps: ['Set(1, k1, v1)', 'Set(2, k1, v1)'] },
  { config: 'lossy-partition', invariantName: 'EventualConvergence', steps: ['Set(1, k1, v1)', 'CreatePartition(1, 2)', 'HealPartition(1, 2)'] },
]) {
  test(`crdt ${config}: the check finds ${invariantName} and replays its ${steps.length + 1}-state counterexample`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=crdt&c=${config}`);
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`${invariantName} is violated; shortest counterexample: ${steps.length + 1} states`));
    const native = pex('check', 'crdt', '--config', config, '--json');
    assert.equal(native.trace.length, steps.length + 1);
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
    assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
    assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
    assert.deepEqual(await timelineLabels(page), steps);
    assert.match(await invariant(page, invariantName), /\bbad\b/);
    assert.match(await text(page, '[data-testid=caption]'), new RegExp(`${invariantName} fails`));
    if (config === 'lossy-partition') {
      assert.match(await view(page, 'replica-1').getAttribute('class'), /\bdiverged\b/);
      // The message chart (crdt's trace view): the delta sent at step 1 ends in × at step 2, where
      // the cut dropped it, inside the partition band from the cut (step 2) to the heal (step 3).
      const chart = page.locator('[data-testid=trace-view]');
      const drop = chart.locator('[data-id^="msc-msg-drop-"]');
      assert.equal(await drop.count(), 1);
      assert.match(await drop.innerHTML(), /×/);
      assert.equal(await chart.locator('[data-id^="msc-partition-0-1-"]').count(), 1);
      assert.match(await text(page, '[data-testid=trace-view-caption]'), /ending in ×: dropped/);
      // Its Mermaid text tells the same story.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-mermaid]')]);
      const mermaid = readFileSync(await download.path(), 'utf8');
      assert.match(mermaid, /^sequenceDiagram\n {4}participant n0 as replica 1\n/);
      assert.match(mermaid, /n0-xn1: Δ k1=v1 @\(1,1\) dropped \(step 2\)/);
      assert.match(mermaid, /Note over n0,n1: link cut \(step 2\)[\s\S]*Note over n0,n1: link healed \(step 3\)/);
      // And as SVG: the same arrows, the × and the band, standalone.
      const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-chart-svg]')]);
      const svg = readFileSync(await svgDownload.path(), 'utf8');
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /data-id="msc-msg-drop-[^"]*"/);
      assert.match(svg, /data-id="msc-partition-0-1-[^"]*"/);
      // One step back: the cut dropped the delta.
      await page.click('[data-testid=back]');
      assert.match(await view(page, 'delta 1->2 k1 @(1,1) (drop)').getAttribute('class'), /\bdropped\b/);
      assert.match(await invariant(page, invariantName), /\bok\b/);
    } else {
      // Stepping on: each replica takes the other's delta and keeps its own, for good.
      await clickAction(page, 'ReceiveDelta(1, k1=v1 @(1,2))');
      await clickAction(page, 'ReceiveDelta(2, k1=v1 @(1,1))');
      assert.match(await text(page, '[data-testid=caption]'), /with no tie-break the local register is kept/);
      assert.match(await invariant(page, 'EventualConvergence'), /\bbad\b/);
      assert.match(await view(page, 'replica-1').getAttribute('class'), /\bdiverged\b/);
      assert.match(await view(page, 'replica-2').getAttribute('class'), /\bdiverged\b/);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('screenshots of the crdt view at 1280 px, light and dark', async () => {
  for (const [name, hash, steps] of [
    ['crdt-safe', '#v=1&m=crdt&c=safe', ['Set(1, k1, v1)', 'Set(2, k1, v2)', 'CreatePartition(1, 2)', 'Delete(2, k1)']],
    ['crdt-lossy', '#v=1&m=crdt&c=lossy-partition', ['Set(1, k1, v1)', 'CreatePartition(1, 2)']],
    ['crdt-three', '#v=1&m=crdt&c=safe&k.Replicas=%7B1%2C%202%2C%203%7D', ['Set(1, k1, v1)', 'CreatePartition(1, 3)', 'Set(3, k1, v2)']],
  ]) {
    for (const dark of [false, true]) {
      const page = await open(env.browser, env.base + hash, { width: 1280, height: 900, dark });
      for (const a of steps) await clickAction(page, a);
      await page.locator('[data-testid=view]').screenshot({ path: join(OUT, `${name}-view-1280-${dark ? 'dark' : 'light'}.png`) });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} overflows by ${overflow}px`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
