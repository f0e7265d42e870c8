// End-to-end tests of the elastickv models of seed 003 (mvcc, routes, composed): each gap config
// checked in the browser, its shortest counterexample replayed into the timeline with the broken
// invariant red, the unsound Groups symmetry of composed reported, and each view screenshotted wide
// and narrow (web/e2e/out/).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, timelineLabels, invariant, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const GAPS = [
  {
    model: 'mvcc', property: 'MVCC4_NoLostCommitOnSnapshotInstall',
    // The drawing of the last step: the version a read at the watermark needs, drawn as lost.
    view: { 'ver-k1-1': /\blost\b/, 'read-k1': /\bbad\b/, 'watermark': /watermark/ },
    caption: /k1 lost v1@1: a read at 2 now finds nothing/,
  },
  {
    model: 'routes', property: 'Routes4_NoEngineRegression',
    view: { 'gauge-n1': /\bregressed\b.*\bflash\b/, 'node-n1': /\bregressed\b/, 'engine-n1': /\bbad\b/ },
    caption: /older than version 1, which n1 already had/,
  },
  {
    model: 'composed', property: 'Composed1_CommitToOwningGroup',
    view: { 'txn-t1': /\bbad\b/, 'route-0-k1': /\bmisrouted\b/ },
    caption: /at version 0 \(the one t1 observed\) k1 belongs to g1 — Composed-1 fails/,
  },
];

async function runCheck(page) {
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
}

const symmetryBox = page => page.locator('label.checkbox', { hasText: 'Symmetry' }).locator('input');

for (const g of GAPS) {
  test(`${g.model}: the gap check finds ${g.property} in 4 states and replays it`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=${g.model}&c=gap`);
    assert.match(await text(page, '[data-testid=config-summary]'), new RegExp(`Expected to break: ${g.property}`));
    await runCheck(page);
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`Invariant ${g.property} is violated; shortest counterexample: 4 states`));
    const native = pex('check', g.model, '--config', 'gap', '--json');
    assert.equal(native.trace.length, 4);
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
    // The counterexample is loaded: 3 steps, the same labels as pex, the invariant red at the end.
    assert.deepEqual(await stepCounter(page), [3, 3]);
    assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
    assert.match(await invariant(page, g.property), /\bbad\b/);
    for (const [id, cls] of Object.entries(g.view)) {
      const el = page.locator(`[data-testid=view] [data-id="${id}"]`);
      const seen = id === 'watermark' ? await el.textContent() : await el.getAttribute('class');
      assert.match(seen, cls, `${id}: ${seen}`);
    }
    assert.match(await text(page, '[data-testid=caption]'), g.caption);
    // One step back the invariant still holds.
    await page.click('[data-testid=back]');
    assert.match(await invariant(page, g.property), /\bok\b/);
    if (g.model !== 'composed') assert.equal(await page.locator('[data-testid=symmetry-warning]').count(), 0, 'a sound symmetry raises no warning');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('composed: the check reports that the Groups symmetry is not sound, with and without it', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=composed&c=safe`);
  await runCheck(page);
  assert.match(await text(page, '[data-testid=check-result]'), /No violation found under the Groups symmetry reduction, which the audit found unsound/);
  const warning = await text(page, '[data-testid=symmetry-warning]');
  assert.match(warning, /permuting Groups \(g1→g2, g2→g1\) does not preserve Init/);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), 1684);
  assert.equal(pex('check', 'composed', '--json').distinct, 1684);
  // Without symmetry: the full count, and nothing to warn about.
  await symmetryBox(page).uncheck();
  await runCheck(page);
  assert.equal(await page.locator('[data-testid=symmetry-warning]').count(), 0);
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), 6015);
  assert.equal(pex('check', 'composed', '--json', '--no-symmetry').distinct, 6015);
  // The gap config warns too, and still agrees with pex on the counterexample.
  await page.click('[data-testid=config-gap]');
  await symmetryBox(page).check();
  await runCheck(page);
  assert.match(await text(page, '[data-testid=symmetry-warning]'), /Groups/);
  assert.match(await text(page, '[data-testid=check-result]'), /Composed1_CommitToOwningGroup is violated; shortest counterexample: 4 states/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('mvcc and routes: sound symmetries, no warning, the seed\'s counts on safe', async () => {
  for (const [model, distinct] of [['mvcc', 79], ['routes', 29]]) {
    const page = await open(env.browser, `${env.base}#v=1&m=${model}&c=safe`);
    await runCheck(page);
    assert.match(await text(page, '[data-testid=check-result]'), /No error/);
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), distinct);
    assert.equal(await page.locator('[data-testid=symmetry-warning]').count(), 0);
    await page.context().close();
  }
});

test('screenshots of the three views, wide and narrow', async () => {
  const views = [
    // Safe: a compaction keeps the newest version below the watermark (k1@2) and ghosts k1@1.
    ['mvcc-safe', '#v=1&m=mvcc&c=safe', ['Write(k1, v1)', 'Write(k1, v2)', 'Write(k2, v1)', 'Compact(3)']],
    // Gap: k1's only version is pruned, the read at the watermark finds nothing.
    ['mvcc-gap', '#v=1&m=mvcc&c=gap', ['Write(k1, v1)', 'Write(k2, v1)', 'Compact(2)']],
    ['routes-gap', '#v=1&m=routes&c=gap', ['ProposeRouteChange', 'CatalogWatcherSync(n1, 1)', 'ProposeRouteChange', 'CatalogWatcherSync(n1, 0)']],
    ['composed-safe', '#v=1&m=composed&c=safe', ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'ProposeRouteChange(k1, g2)', 'BeginTxn(t2)', 'Commit(t1, g1)']],
    ['composed-gap', '#v=1&m=composed&c=gap', ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'ProposeRouteChange(k1, g2)', 'BeginTxn(t2)', 'Commit(t1, g2)']],
  ];
  for (const [name, hash, steps] of views) {
    for (const [width, dark] of [[1280, false], [768, false], [768, true]]) {
      const page = await open(env.browser, env.base + hash, { width, height: 900, dark });
      for (const a of steps) await page.click(`[data-testid=actions] [data-action="${a}"]`);
      assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
      await page.locator('[data-testid=view]').screenshot({ path: join(OUT, `${name}-view-${width}-${dark ? 'dark' : 'light'}.png`) });
      if (!dark) await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
