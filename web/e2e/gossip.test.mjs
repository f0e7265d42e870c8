// End-to-end tests of the redis-rust gossip model: stepping draws the replicas, the messages in
// flight and each delta's routing; the check runs in the browser (safe's time is printed); each gap's
// shortest counterexample replays in the timeline with the right invariant red; the message chart
// shows a redelivered message as a second arrow from one send; the view is screenshotted at 1280
// and 768 px in both themes (web/e2e/out/).

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

test('gossip safe: a broadcast reaches the owners, and a redelivered delta is skipped', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=gossip&c=safe`);
  assert.equal(await page.locator('[data-testid=view] [data-id^=replica-]').count(), 3);
  await clickAction(page, 'CreateDelta(1, k1)');
  assert.match(await view(page, 'msg DeltaBatch k1@1#1 e0 1->2').getAttribute('class'), /\bsent\b/);
  assert.match(await text(page, '[data-testid=caption]'), /Replica 1 created delta k1@1#1, applied it and broadcast it to replica 2 and 3/);
  await clickAction(page, 'Redeliver(2, DeltaBatch k1@1#1 e0 1->2)');
  assert.match(await view(page, 'msg DeltaBatch k1@1#1 e0 1->2 (duplicate)').getAttribute('class'), /\bduplicate\b/);
  await clickAction(page, 'ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)');
  assert.match(await text(page, '[data-testid=caption]'), /had processed k1@1#1 already and skipped it/);
  assert.match(await invariant(page, 'NoDuplicateProcessing'), /\bok\b/);
  assert.match(await view(page, 'route-k1@1#1').getAttribute('class'), /\bdone\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('gossip safe: the in-browser check covers the 85,152 states pex and TLC find', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=gossip&c=safe`);
  const started = Date.now();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  const wall = (Date.now() - started) / 1000;
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'gossip', '--config', 'safe', '--json');
  assert.equal(native.distinct, 85152);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  const figures = await text(page, '[data-testid=check-figures]');
  console.log(`gossip safe in the browser: ${wall.toFixed(2)} s from click to result; panel: ${figures.replace(/\s+/g, ' ')}`);
  assert.ok(wall < 5, `the check took ${wall} s`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const { config, invariantName, steps } of [
  { config: 'no-dedup', invariantName: 'NoDuplicateProcessing', steps: ['CreateDelta(1, k1)', 'Redeliver(2, DeltaBatch k1@1#1 e0 1->2)', 'ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)'] },
  { config: 'route-to-self', invariantName: 'NoSelfTarget', steps: ['EnableSelectiveMode(1)', 'CreateDelta(1, k1)'] },
]) {
  test(`gossip ${config}: the check finds ${invariantName} and replays its ${steps.length + 1}-state counterexample`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=gossip&c=${config}`);
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`${invariantName} is violated; shortest counterexample: ${steps.length + 1} states`));
    const native = pex('check', 'gossip', '--config', config, '--json');
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
    assert.deepEqual(await timelineLabels(page), steps);
    assert.match(await invariant(page, invariantName), /\bbad\b/);
    assert.match(await text(page, '[data-testid=caption]'), new RegExp(`${invariantName} fails`));
    if (config === 'no-dedup') {
      assert.match(await view(page, 'replica-2').getAttribute('class'), /\bdiverged\b/);
      // The chart: one send to replica 2, two deliveries of it (the copy, then the original).
      const chart = page.locator('[data-testid=trace-view]');
      assert.equal(await chart.locator('[data-id^="msc-msg-deliver-"]').count(), 2);
      assert.equal(await chart.locator('[data-id$="-again"]').count(), 1);
    } else {
      assert.match(await view(page, 'msg TargetedDelta k1@1#1 e0 1->1').getAttribute('class'), /\bself\b/);
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('screenshots of the gossip view at 1280 and 768 px, light and dark', async () => {
  for (const [name, hash, steps] of [
    ['gossip-safe', '#v=1&m=gossip&c=safe', ['AdvanceEpoch(2)', 'EnableSelectiveMode(3)', 'ReceiveGossip(1, Heartbeat e1 2->1)', 'ReceiveGossip(3, Heartbeat e1 2->3)', 'CreateDelta(3, k1)', 'ReceiveGossip(1, TargetedDelta k1@3#1 e0 3->1)']],
    ['gossip-no-dedup', '#v=1&m=gossip&c=no-dedup', ['CreateDelta(1, k1)', 'Redeliver(2, DeltaBatch k1@1#1 e0 1->2)', 'Redeliver(2, DeltaBatch k1@1#1 e0 1->2)']],
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

test('gossip: the message chart draws a delta still in flight to replica 3 as going to replica 3, labels apart, at 768 and 1280 px in both themes', async () => {
  for (const [width, dark] of [[1280, false], [1280, true], [768, false], [768, true]]) {
    const where = `${width} px ${dark ? 'dark' : 'light'}`;
    const page = await open(env.browser, `${env.base}#v=1&m=gossip&c=safe`, { width, height: 900, dark });
    await clickAction(page, 'CreateDelta(1, k1)');
    await clickAction(page, 'ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)');
    const f = await page.evaluate(() => {
      const region = document.querySelector('[data-testid=trace-view][data-chart]');
      const svg = region.querySelector('svg');
      const line = sel => ['x1', 'y1', 'x2', 'y2'].map(a => Number(svg.querySelector(`${sel} line`).getAttribute(a)));
      const texts = [...svg.querySelectorAll('text.msc-msg-label, text.msc-row, text.msc-lane-name')].map(t => {
        const b = t.getBBox();
        return { text: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
      });
      return {
        delivered: line('[data-id^="msc-msg-deliver-"]'),
        inFlight: line('[data-id^="msc-msg-in-flight-"]'),
        inFlightClass: svg.querySelector('[data-id^="msc-msg-in-flight-"] line').getAttribute('class'),
        texts, width: svg.viewBox.baseVal.width, scroll: [region.scrollWidth, region.clientWidth],
      };
    });
    // Replica 1's lane, replica 2's (where the delivered copy ends), and the one in flight: dashed,
    // past replica 2's lane, ending just short of replica 3's.
    const [lane1, , lane2] = f.delivered;
    const lane3 = lane2 + (lane2 - lane1);
    assert.equal(f.inFlight[0], lane1);
    assert.match(f.inFlightClass, /\bin-flight\b/);
    assert.ok(f.inFlight[2] > lane2 + (lane2 - lane1) / 2 && f.inFlight[2] < lane3, `${where}: the in-flight arrow ends at ${f.inFlight[2]}, lanes at ${lane1}, ${lane2}, ${lane3}`);
    const labels = f.texts.map(t => t.text);
    assert.ok(labels.includes('Δ k1@1#1 (in flight)') && labels.includes('Δ k1@1#1'), labels.join(' | '));
    assert.ok(labels.includes('2 ReceiveGossip(2, DeltaBatch k1@1#1 e0 1->2)'), 'the row label is whole');
    // No two texts meet (the broadcast's two labels, one step, one direction, are on lines of their own).
    for (let i = 0; i < f.texts.length; i++) {
      const a = f.texts[i];
      assert.ok(a.x0 >= -0.5 && a.x1 <= f.width + 0.5, `${where}: "${a.text}" is cut`);
      for (const b of f.texts.slice(i + 1)) {
        assert.ok(a.x1 <= b.x0 + 0.5 || b.x1 <= a.x0 + 0.5 || a.y1 <= b.y0 + 0.5 || b.y1 <= a.y0 + 0.5, `${where}: "${a.text}" overlaps "${b.text}"`);
      }
    }
    assert.ok(f.scroll[0] <= f.scroll[1], `${where}: the chart is ${f.scroll[0]} px wide in ${f.scroll[1]}`);
    await page.locator('[data-testid=trace-view][data-chart]').screenshot({ path: join(OUT, `gossip-chart-in-flight-${width}-${dark ? 'dark' : 'light'}.png`) });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
