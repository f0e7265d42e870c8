// Multi-Paxos in the browser: the ballot view, the gap's second chosen value, and the checker on the
// seed's constants in one worker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, timelineLabels, invariant, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('paxos ignore-accepted: the checker finds Agreement broken and the ballot view shows the ignored quorum', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted`);
  assert.match(await text(page, '[data-testid=view] h2'), /^BALLOTS\s*· step 0/i);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  const native = pex('check', 'paxos', '--config', 'ignore-accepted', '--json');
  assert.equal(native.invariant, 'Agreement');
  assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`Agreement is violated; shortest counterexample: ${native.trace.length} states`));
  assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  // The last step learns the second value.
  assert.match(await invariant(page, 'Agreement'), /\bbad\b/);
  assert.match(await page.locator('[data-testid=view] [data-id=learned-1]').getAttribute('class'), /\bbad\b/);
  assert.match(await text(page, '[data-testid=caption]'), /a second value: Agreement fails/);
  assert.equal(await page.locator('[data-testid=trace-view] [data-id=ballot-cursor]').count(), 1);
  // Under the ballot timeline, the messages the steps imply: the last step's learner receives
  // "accepted" from the majority that accepted v2, and the chart exports as SVG.
  const chart = page.locator('[data-testid=trace-view][data-chart]');
  assert.equal(await chart.count(), 1);
  assert.ok(await chart.locator('[data-id^="msc-msg-"]').count() > 4, 'arrows for the prepares, promises, accepts and accepteds');
  assert.match(await chart.textContent(), /learner/);
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-chart-svg]')]);
  const chartSvg = readFileSync(await svgDownload.path(), 'utf8');
  assert.match(chartSvg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(chartSvg, /accepted ⟨1,0,2⟩=v2/);
  await page.screenshot({ path: join(OUT, 'paxos-agreement-broken-1280.png'), fullPage: true });
  // Somewhere along the counterexample an acceptance ignored its quorum's accepted value.
  let seen = false;
  for (let i = 0; i < native.trace.length && !seen; i++) {
    if (await page.locator('[data-testid=view] [data-id^=ignored-]').count() > 0) {
      seen = true;
      assert.match(await text(page, '[data-testid=caption]'), /The value rule was ignored: quorum \{[\d, ]+\} contains acceptor \d/);
      await page.screenshot({ path: join(OUT, 'paxos-ignored-quorum-1280.png'), fullPage: true });
    } else {
      await page.click('[data-testid=back]');
    }
  }
  assert.ok(seen, 'the step that ignored the accepted value is marked');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('paxos safe at the seed constants: the worker checks every state, as the native checker does', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=safe`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 300000 });
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'paxos', '--json');
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  assert.equal(native.distinct, 879129);
  assert.match(await text(page, '[data-testid=check-figures] ~ p'), /worker memory \d+ MiB/);
  await page.context().close();
});

test('paxos views read at 768 px, dark and light', async () => {
  const steps = ['Promise(1, <<1, 0, 1>>)', 'Promise(2, <<1, 0, 1>>)', 'Accept(1, <<1, 0, 1>>, v2)', 'Accept(2, <<1, 0, 1>>, v2)', 'Learn(1, v2)', 'Promise(3, <<1, 1, 2>>)'];
  for (const [width, dark] of [[768, true], [768, false], [1440, false]]) {
    const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=safe`, { width, height: 900, dark });
    for (const a of steps) await page.click(`[data-testid=actions] [data-action="${a}"]`);
    assert.deepEqual(await stepCounter(page), [6, 6]);
    assert.match(await page.locator('[data-testid=view] [data-id=col-0]').getAttribute('class'), /\bchosen\b/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `overflows by ${overflow}px at ${width}`);
    await page.screenshot({ path: join(OUT, `paxos-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
    await page.context().close();
  }
});
