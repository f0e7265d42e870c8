// End-to-end tests of the elastickv hlc and occ models: the check runs in the browser on each gap
// config, its shortest counterexample replays in the timeline with the right invariant red, and
// each view is screenshotted wide and narrow (web/e2e/out/).

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

/** Screenshots at 1280 (light) and 768 (light and dark) px; nothing may overflow sideways. */
async function screenshots(name, hash, steps) {
  for (const [width, dark] of [[1280, false], [768, false], [768, true]]) {
    const page = await open(env.browser, env.base + hash, { width, height: 900, dark });
    for (const a of steps) await clickAction(page, a);
    await page.screenshot({ path: join(OUT, `${name}-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
    await page.locator('[data-testid=view]').screenshot({ path: join(OUT, `${name}-view-${width}-${dark ? 'dark' : 'light'}.png`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
    // The view's text stays readable: the drawing is not shrunk below 80% of its size.
    const scale = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid=view] svg');
      return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    });
    assert.ok(scale >= 0.8, `${name} at ${width}px draws its view at ${scale.toFixed(2)} of its size`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
}

for (const { model, invariantName, regressionId, steps } of [
  {
    model: 'hlc',
    invariantName: 'HLC4_NoRegressionAcrossTerms',
    regressionId: 'regression-2',
    steps: ['BecomeLeader(n1)', 'IssueTimestamp(n1)', 'BecomeLeader(n2)', 'IssueTimestamp(n2)'],
  },
  {
    model: 'occ',
    invariantName: 'OCC1_CommitTsAboveStart',
    regressionId: 'commit-t1',
    steps: ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'Prepare(t1)', 'Commit(t1)'],
  },
]) {
  test(`${model}: the check on the gap finds ${invariantName} and replays its 5-state counterexample`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=${model}&c=gap`);
    assert.match(await page.locator('[data-testid=model-picker]').inputValue(), new RegExp(model));
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), new RegExp(`${invariantName} is violated; shortest counterexample: 5 states`));
    const native = pex('check', model, '--config', 'gap', '--json');
    assert.equal(native.trace.length, 5);
    assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
    assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
    assert.deepEqual(await stepCounter(page), [4, 4]);
    assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
    assert.deepEqual(await timelineLabels(page), steps);
    assert.match(await invariant(page, invariantName), /\bbad\b/);
    assert.match(await view(page, regressionId).getAttribute('class'), model === 'hlc' ? /\bregression\b/ : /\bbad\b/);
    assert.match(await text(page, '[data-testid=caption]'), new RegExp(`${invariantName} fails`));
    // One step back the invariant holds again, and the step where it broke is named.
    await page.click('[data-testid=back]');
    assert.match(await invariant(page, invariantName), /\bok\b/);
    assert.match(await text(page, `[data-prop=${invariantName}] .first-broken`), /broke at step 4/);
    await page.screenshot({ path: join(OUT, `${model}-gap-counterexample-1280.png`), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('hlc: a safe handoff observes the highest timestamp, drawn lane by lane', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=hlc&c=safe`);
  assert.equal(await page.locator('[data-testid=view] svg [data-id^=lane-]').count(), 3);
  // Without a ceiling the leader may not issue.
  await clickAction(page, 'BecomeLeader(n1)');
  assert.equal(await page.locator('[data-testid=actions] [data-action="IssueTimestamp(n1)"]').count(), 0);
  assert.equal(await page.locator('[data-testid=actions] button[disabled]', { hasText: 'IssueTimestamp' }).count(), 1);
  for (const a of ['ApplyCeiling(n1)', 'IssueTimestamp(n1)', 'BecomeLeader(n2)']) await clickAction(page, a);
  assert.match(await text(page, '[data-testid=caption]'), /observed maxAppliedHLC and raised its last HLC from ⟨0, 0⟩ to ⟨2, 0⟩/);
  await clickAction(page, 'IssueTimestamp(n2)');
  assert.match(await view(page, 'ts-2').getAttribute('class'), /\bterm-2\b/);
  assert.equal(await page.locator('[data-testid=view] [data-id^=regression]').count(), 0);
  assert.match(await invariant(page, 'HLC4_NoRegressionAcrossTerms'), /\bok\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('occ: prepare locks, a conflicting prepare is refused, commit installs a version', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=occ&c=safe`);
  for (const a of ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'BeginTxn(t2)', 'WriteIntent(t2, k1)', 'Prepare(t1)']) await clickAction(page, a);
  assert.equal(await view(page, 'lock-k1').textContent(), 'locked by t1 at 1');
  assert.match(await view(page, 'life-t1-Prepared').getAttribute('class'), /\bcurrent\b/);
  assert.equal(await page.locator('[data-testid=actions] [data-action="Prepare(t2)"]').count(), 0, 'k1 is locked');
  await clickAction(page, 'Commit(t1)');
  assert.equal(await view(page, 'version-k1-t1').textContent(), '@3 by t1');
  assert.equal(await view(page, 'lock-k1').textContent(), 'unlocked');
  // t2 began at 2, below the version at 3: its prepare stays refused (a newer version).
  assert.equal(await page.locator('[data-testid=actions] [data-action="Prepare(t2)"]').count(), 0);
  assert.match(await invariant(page, 'OCC1_CommitTsAboveStart'), /\bok\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('screenshots of the hlc and occ views at 1280 and 768 px', async () => {
  await screenshots('hlc-gap', '#v=1&m=hlc&c=gap', ['BecomeLeader(n1)', 'TickWall(n1)', 'ApplyCeiling(n1)', 'IssueTimestamp(n1)', 'IssueTimestamp(n1)', 'BecomeLeader(n2)', 'IssueTimestamp(n2)']);
  await screenshots('hlc-safe', '#v=1&m=hlc&c=safe', ['TickWall(n1)', 'BecomeLeader(n1)', 'ApplyCeiling(n1)', 'IssueTimestamp(n1)', 'TickWall(n2)', 'BecomeLeader(n2)', 'IssueTimestamp(n2)']);
  await screenshots('occ-gap', '#v=1&m=occ&c=gap', ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'BeginTxn(t2)', 'ReadKey(t2, k2)', 'WriteIntent(t2, k2)', 'Prepare(t1)', 'Commit(t1)', 'Prepare(t2)', 'Commit(t2)']);
  await screenshots('occ-safe', '#v=1&m=occ&c=safe', ['BeginTxn(t1)', 'WriteIntent(t1, k1)', 'WriteIntent(t1, k2)', 'Prepare(t1)', 'Commit(t1)', 'BeginTxn(t2)', 'ReadKey(t2, k1)', 'Abort(t2)']);
});
