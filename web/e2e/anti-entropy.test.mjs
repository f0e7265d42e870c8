// End-to-end tests of the redis-rust anti-entropy model: stepping draws the replicas, their
// Merkle trees (the differing parts red) and the syncs on the link; the check runs in the browser
// on safe (its time is printed) and on each gap, whose shortest counterexample replays in the
// timeline with the right property red; the message chart shows the digest exchange and the sync;
// the view is screenshotted at 1280 and 768 px in both themes (web/e2e/out/).

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

test('anti-entropy safe: a write shows in the trees, a full sync repairs both buckets', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=anti-entropy&c=safe`);
  assert.equal(await page.locator('[data-testid=view] [data-id^=replica-]').count(), 2);
  assert.match(await view(page, 'root-1').getAttribute('class'), /\bsame\b/);
  for (const a of ['LocalWrite(1, k1, 1)', 'LocalWrite(1, k2, 1)']) await clickAction(page, a);
  assert.match(await view(page, 'bucket-2-2').getAttribute('class'), /\bdiffers\b/);
  await clickAction(page, 'ExchangeDigest(1, 2)');
  assert.match(await view(page, 'replica-2').getAttribute('class'), /\bmarking\b/);
  await clickAction(page, 'InitiateSync(2, 1)');
  assert.match(await view(page, 'request 2->1 [⊥ ⊥] 0').getAttribute('class'), /\bsent\b/);
  await clickAction(page, 'HandleSyncRequest(2 -> 1)');
  assert.match(await text(page, '[data-testid=caption]'), /b1, b2 differ; it answered with the entries of b1, b2\./);
  await clickAction(page, 'HandleSyncResponse(1 -> 2)');
  for (const id of ['root-2', 'bucket-2-1', 'bucket-2-2', 'key-2-2']) assert.match(await view(page, id).getAttribute('class'), /\bsame\b/, id);
  assert.match(await invariant(page, 'SyncReconciles'), /\bok\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('anti-entropy safe: the in-browser check covers the 58,871 states pex and TLC find', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=anti-entropy&c=safe`);
  const started = Date.now();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  const wall = (Date.now() - started) / 1000;
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'anti-entropy', '--config', 'safe', '--json');
  assert.equal(native.distinct, 58871);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  const figures = await text(page, '[data-testid=check-figures]');
  console.log(`anti-entropy safe in the browser: ${wall.toFixed(2)} s from click to result; panel: ${figures.replace(/\s+/g, ' ')}`);
  assert.ok(wall < 5, `the check took ${wall} s`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const { config, property, steps } of [
  {
    config: 'root-only',
    property: 'SyncReconciles',
    steps: ['LocalWrite(1, k1, 1)', 'LocalWrite(1, k2, 1)', 'ExchangeDigest(1, 2)', 'InitiateSync(2, 1)', 'HandleSyncRequest(2 -> 1)', 'HandleSyncResponse(1 -> 2)'],
  },
  {
    config: 'blind-overwrite',
    property: 'LwwMonotonic',
    steps: ['LocalWrite(1, k1, 1)', 'ExchangeDigest(1, 2)', 'InitiateSync(1, 2)', 'HandleSyncRequest(1 -> 2)', 'HandleSyncResponse(2 -> 1)'],
  },
]) {
  test(`anti-entropy ${config}: the check finds ${property} and replays its ${steps.length + 1}-state counterexample`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=anti-entropy&c=${config}`);
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`${property} is violated; shortest counterexample: ${steps.length + 1} states`));
    const native = pex('check', 'anti-entropy', '--config', config, '--json');
    assert.equal(native.trace.length, steps.length + 1);
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
    assert.deepEqual(await timelineLabels(page), steps);
    assert.match(await invariant(page, property), /\bbad\b/);
    assert.match(await text(page, '[data-testid=caption]'), new RegExp(`${property} fails`));
    if (config === 'root-only') {
      assert.match(await view(page, 'bucket-2-2').getAttribute('class'), /\bdiffers\b/);
      assert.match(await view(page, 'bucket-2-1').getAttribute('class'), /\bsame\b/);
      // The message chart: the two digests, the request and the response, each delivered.
      const chart = page.locator('[data-testid=trace-view]');
      assert.equal(await chart.locator('[data-id^="msc-msg-deliver-digest-"]').count(), 2);
      assert.equal(await chart.locator('[data-id^="msc-msg-deliver-request-"]').count(), 1);
      assert.equal(await chart.locator('[data-id^="msc-msg-deliver-response-"]').count(), 1);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('screenshots of the anti-entropy view at 1280 and 768 px, light and dark', async () => {
  for (const [name, hash, steps] of [
    ['anti-entropy-root-only', '#v=1&m=anti-entropy&c=root-only', ['LocalWrite(1, k1, 1)', 'LocalWrite(1, k2, 1)', 'ExchangeDigest(1, 2)', 'InitiateSync(2, 1)', 'InitiateSync(1, 2)', 'HandleSyncRequest(2 -> 1)']],
    ['anti-entropy-heal', '#v=1&m=anti-entropy&c=safe', ['LocalWrite(1, k1, 1)', 'CreatePartition(1, 2)', 'LocalWrite(2, k2, 1)', 'HealPartition(1, 2)', 'InitiateSync(1, 2)']],
    ['anti-entropy-three', '#v=1&m=anti-entropy&c=safe&k.Replicas=%7B1%2C%202%2C%203%7D', ['LocalWrite(1, k1, 1)', 'ExchangeDigest(1, 3)', 'InitiateSync(3, 1)', 'CreatePartition(1, 2)']],
  ]) {
    for (const width of [1280, 768]) {
      for (const dark of [false, true]) {
        const page = await open(env.browser, env.base + hash, { width, height: 900, dark });
        for (const a of steps) await clickAction(page, a);
        await page.locator('[data-testid=view]').screenshot({ path: join(OUT, `${name}-view-${width}-${dark ? 'dark' : 'light'}.png`) });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} overflows by ${overflow}px at ${width}`);
        assert.deepEqual(page.errors, []);
        await page.context().close();
      }
    }
  }
});
