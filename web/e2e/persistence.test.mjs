// End-to-end tests of the redis-rust persistence model: stepping fills the buffer bar, a flush
// moves the deltas into a listed segment and acknowledges them, a crash turns the server lane red
// and flashes the emptied buffer; the check runs in the browser on every safety config (safe's
// time is printed), each gap's shortest counterexample replays with the right invariant red and
// the message chart shows the dropped PUT; flush-unfair loads a stuttering lasso; the view is
// screenshotted at 1280 and 768 px in both themes (web/e2e/out/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('persistence safe: push, flush, write, list, ack; then a crash and the recovery', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=persistence&c=safe`);
  await clickAction(page, 'PushDelta(1)');
  await clickAction(page, 'PushDelta(2)');
  assert.match(await view(page, 'delta-1').getAttribute('class'), /\bodd\b/);
  assert.equal(await enabled(page, 'PushDelta(3)'), 0, 'backpressure: the buffer is full');
  await clickAction(page, 'FlushBuffer');
  assert.equal(await enabled(page, 'UpdateManifest'), 0, 'safe: the manifest waits for the segment');
  await clickAction(page, 'WriteSegment');
  assert.match(await view(page, 'segment-0').getAttribute('class'), /\bodd\b/);
  await clickAction(page, 'UpdateManifest');
  await clickAction(page, 'Ack');
  assert.match(await view(page, 'delta-2').getAttribute('class'), /\bdone\b/);
  assert.match(await view(page, 'segment-0').getAttribute('class'), /\bdone\b/);
  assert.match(await view(page, 'manifest-0').getAttribute('class'), /\bgood\b/);
  assert.match(await text(page, '[data-testid=caption]'), /deltas \{1, 2\} are acknowledged/);
  await clickAction(page, 'PushDelta(3)');
  await clickAction(page, 'Crash');
  assert.match(await view(page, 'server').getAttribute('class'), /\bcrashed\b/);
  assert.match(await view(page, 'buffer').getAttribute('class'), /\bflash\b/);
  assert.match(await text(page, '[data-testid=caption]'), /CRASH/);
  await clickAction(page, 'Recover');
  assert.doesNotMatch(await view(page, 'server').getAttribute('class'), /\bcrashed\b/);
  assert.match(await text(page, '[data-testid=caption]'), /loaded \{1, 2\}/);
  for (const name of ['DurabilityGuarantee', 'ManifestConsistent', 'RecoveryCompleteness']) assert.match(await invariant(page, name), /\bok\b/);
  // The message chart: a lane per node, the crash greys the server's lane.
  const chart = page.locator('[data-testid=trace-view]');
  assert.ok(await chart.locator('[data-id^="msc-down-1-"]').count() >= 1);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('persistence safe: the in-browser check covers the 6,329 states pex and TLC find', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=persistence&c=safe`);
  const started = Date.now();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  const wall = (Date.now() - started) / 1000;
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'persistence', '--config', 'safe', '--json');
  assert.equal(native.distinct, 6329);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  console.log(`persistence safe in the browser: ${wall.toFixed(2)} s from click to result`);
  assert.ok(wall < 5, `the check took ${wall} s`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const { config, invariantName, steps, mark } of [
  { config: 'ack-before-flush', invariantName: 'DurabilityGuarantee', steps: ['PushDelta(1)', 'Crash'], mark: ['delta-1', /\bat-risk\b/] },
  { config: 'manifest-first', invariantName: 'ManifestConsistent', steps: ['PushDelta(1)', 'FlushBuffer', 'UpdateManifest', 'Crash'], mark: ['manifest-0', /\bbad\b/] },
  { config: 'no-backpressure', invariantName: 'WriteBufferBounded', steps: ['PushDelta(1)', 'PushDelta(2)', 'PushDelta(3)'], mark: ['buffer', /\bregressed\b/] },
]) {
  test(`persistence ${config}: the check finds ${invariantName} and replays its ${steps.length + 1}-state counterexample`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=persistence&c=${config}`);
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`${invariantName} is violated; shortest counterexample: ${steps.length + 1} states`));
    const native = pex('check', 'persistence', '--config', config, '--json');
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
    assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
    assert.deepEqual(await timelineLabels(page), steps);
    assert.match(await invariant(page, invariantName), /\bbad\b/);
    assert.match(await text(page, '[data-testid=caption]'), new RegExp(`${invariantName} fails`));
    assert.match(await view(page, mark[0]).getAttribute('class'), mark[1]);
    if (config === 'manifest-first') {
      // The chart: the segment's PUT, sent by FlushBuffer, ends in × at the crash.
      const drop = page.locator('[data-testid=trace-view] [data-id^="msc-msg-drop-"]');
      assert.equal(await drop.count(), 1);
      assert.match(await drop.innerHTML(), /×/);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('persistence flush-unfair: the lasso fills the buffer and stutters forever', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=persistence&c=flush-unfair`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  assert.match(await text(page, '[data-testid=check-result]'), /EventualFlush/);
  const native = pex('check', 'persistence', '--config', 'flush-unfair', '--json');
  assert.equal(native.lasso, 'stuttering');
  assert.deepEqual(await timelineLabels(page), ['PushDelta(1)', 'PushDelta(2)']);
  assert.match(await text(page, '[data-testid=loop-end]'), /stutters forever/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('screenshots of the persistence view at 1280 and 768 px, light and dark', async () => {
  for (const [name, hash, steps] of [
    ['persistence-safe', '#v=1&m=persistence&c=safe', ['PushDelta(1)', 'FlushBuffer', 'WriteSegment', 'Crash', 'Recover', 'PushDelta(2)', 'PushDelta(1)', 'FlushBuffer', 'WriteSegment', 'UpdateManifest']],
    ['persistence-manifest-first', '#v=1&m=persistence&c=manifest-first', ['PushDelta(1)', 'PushDelta(2)', 'FlushBuffer', 'UpdateManifest', 'Crash']],
  ]) {
    for (const width of [1280, 768]) {
      for (const dark of [false, true]) {
        const page = await open(env.browser, env.base + hash, { width, height: 900, dark });
        for (const a of steps) await clickAction(page, a);
        await page.locator('[data-testid=view]').screenshot({ path: join(OUT, `${name}-view-${width}-${dark ? 'dark' : 'light'}.png`) });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} at ${width} overflows by ${overflow}px`);
        assert.deepEqual(page.errors, []);
        await page.context().close();
      }
    }
  }
});
