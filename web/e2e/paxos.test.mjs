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

// What a person sees of the message chart: every text's box as the browser lays it out (getBBox,
// in the drawing's units), the lines' ends, and whether the lane names show inside the chart's
// scrolling region.
async function chartFacts(page) {
  return page.evaluate(() => {
    const region = document.querySelector('[data-testid=trace-view][data-chart]');
    const svg = region.querySelector('svg');
    const texts = [...svg.querySelectorAll('text.msc-msg-label, text.msc-row, text.msc-lane-name')].map(t => {
      const b = t.getBBox();
      return { cls: t.getAttribute('class'), text: t.textContent, x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height };
    });
    const line = id => { const l = svg.querySelector(`[data-id="${id}"] line`); return l && ['x1', 'y1', 'x2', 'y2'].map(a => Number(l.getAttribute(a))); };
    const r = region.getBoundingClientRect();
    const names = [...svg.querySelectorAll('text.msc-lane-name')].map(t => { const b = t.getBoundingClientRect(); return { text: t.textContent, inside: b.left >= r.left - 0.5 && b.right <= r.right + 0.5 }; });
    return {
      texts, names, width: svg.viewBox.baseVal.width,
      scroll: [region.scrollWidth, region.clientWidth],
      region: [region.getAttribute('tabindex'), region.getAttribute('role'), region.getAttribute('aria-label')],
      lines: Object.fromEntries([...svg.querySelectorAll('[data-id^="msc-msg-"]')].map(g => [g.dataset.id, line(g.dataset.id)])),
      labels: Object.fromEntries([...svg.querySelectorAll('[data-id^="msc-label-"]')].map(g => [g.dataset.id.slice('msc-label-'.length), g.textContent])),
    };
  });
}

function assertNoOverlaps(facts, where) {
  const { texts } = facts;
  for (let i = 0; i < texts.length; i++) {
    const a = texts[i];
    assert.ok(a.x0 >= -0.5 && a.x1 <= facts.width + 0.5, `${where}: "${a.text}" is cut at the drawing's edge (${a.x0}–${a.x1} of ${facts.width})`);
    for (const b of texts.slice(i + 1)) {
      const apart = a.x1 <= b.x0 + 0.5 || b.x1 <= a.x0 + 0.5 || a.y1 <= b.y0 + 0.5 || b.y1 <= a.y0 + 0.5;
      assert.ok(apart, `${where}: "${a.text}" (${a.x0.toFixed(1)},${a.y0.toFixed(1)}–${a.x1.toFixed(1)},${a.y1.toFixed(1)}) overlaps "${b.text}" (${b.x0.toFixed(1)},${b.y0.toFixed(1)}–${b.x1.toFixed(1)},${b.y1.toFixed(1)})`);
    }
    // The layout's estimate (msc::CHAR_W, 6.5 per character) holds the text the browser draws.
    if (!a.cls.startsWith('msc-lane-name')) assert.ok(a.x1 - a.x0 <= [...a.text].length * 6.5 + 0.5, `${where}: "${a.text}" is ${a.x1 - a.x0} wide`);
  }
}

test('paxos ignore-accepted: the message chart tells the bug as a whiteboard would, at 768 and 1280 px in both themes', async () => {
  for (const [width, dark] of [[1280, false], [1280, true], [768, false], [768, true]]) {
    const where = `${width} px ${dark ? 'dark' : 'light'}`;
    const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted`, { width, height: 1000, dark });
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
    for (let i = 0; i < 3; i++) await page.click('[data-testid=back]');
    assert.deepEqual(await stepCounter(page), [7, 10]);
    let f = await chartFacts(page);
    // Step 7: proposer 2 has both promises of <<1, 0, 2>> in hand, acceptor 3's (sent at step 3)
    // and acceptor 1's, which says it accepted v1; then it sends v2 anyway.
    assert.equal(f.labels['promise-r0-k1-from-0'], 'promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1');
    assert.equal(f.labels['promise-r0-k1-from-2'], 'promise ⟨1,0,2⟩, nothing accepted');
    assert.equal(f.labels['accept-r0-k1-v1-to-2'], 'accept ⟨1,0,2⟩=v2, ignoring v1');
    const fromA1 = f.lines['msc-msg-deliver-promise-r0-k1-from-0'];
    const fromA3 = f.lines['msc-msg-deliver-promise-r0-k1-from-2'];
    const accept = f.lines['msc-msg-deliver-accept-r0-k1-v1-to-2'];
    assert.ok(fromA1 && fromA3 && accept, JSON.stringify(Object.keys(f.lines)));
    assert.deepEqual(fromA1.slice(2), fromA3.slice(2), 'both promises end at one point: proposer 2, step 7');
    assert.equal(fromA1[2], accept[0], 'on the lane the accept request leaves from');
    assert.ok(fromA1[1] < fromA3[3] && fromA3[1] < fromA1[1], 'acceptor 3 promised first (step 3), acceptor 1 at step 6, both read at step 7');
    assert.ok(accept[1] > fromA1[3], 'the accept request leaves after the promises arrive');
    assert.equal(f.lines['msc-msg-in-flight-accepted-r0-k1-v1-from-2'] !== undefined, true, 'its "accepted" is on its way to the learner');
    assertNoOverlaps(f, `${where}, step 7`);
    // The region scrolls rather than cuts, and here every lane fits.
    assert.deepEqual(f.region, ['0', 'region', 'Message chart (scrolls)']);
    assert.ok(f.scroll[0] <= f.scroll[1], `${where}: the chart is ${f.scroll[0]} px wide in ${f.scroll[1]}`);
    assert.deepEqual(f.names.filter(n => !n.inside), [], `${where}: every lane name shows`);
    await page.locator('[data-testid=trace-view][data-chart]').screenshot({ path: join(OUT, `paxos-chart-step7-${width}-${dark ? 'dark' : 'light'}.png`) });
    // The Mermaid export, up to this step, carries the same payload.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-mermaid]')]);
    const mermaid = readFileSync(await download.path(), 'utf8');
    assert.match(mermaid, /n2->>n1: promise ⟨1,0,2⟩, last accepted ⟨1,0,1⟩=v1 \(step 6→7\)/);
    assert.match(mermaid, /n4->>n1: promise ⟨1,0,2⟩, nothing accepted \(step 3→7\)/);
    assert.match(mermaid, /n1->>n4: accept ⟨1,0,2⟩=v2, ignoring v1 \(step 7\)/);
    // At the violation: still no label meets another.
    for (let i = 0; i < 3; i++) await page.click('[data-testid=forward]');
    f = await chartFacts(page);
    assertNoOverlaps(f, `${where}, step 10`);
    assert.equal(f.lines['msc-msg-deliver-accepted-r0-k1-v1-from-0'][2], f.lines['msc-msg-deliver-accepted-r0-k1-v1-from-2'][2], 'both "accepted" reach the learner');
    await page.locator('[data-testid=trace-view][data-chart]').screenshot({ path: join(OUT, `paxos-chart-end-${width}-${dark ? 'dark' : 'light'}.png`) });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
