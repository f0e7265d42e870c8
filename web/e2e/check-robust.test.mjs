// The in-browser check survives what used to wedge it: a run that would outgrow the worker's
// memory stops at the ceiling; a worker that dies (a wasm trap, as out of memory is) is reported
// and replaced; Cancel always ends a run, even when the worker does not answer; and the verdict
// says when a symmetry the audit found unsound stands behind "no violation".
//
// Test hooks the page defines while a worker exists: window.__pexCrashWorker(panic) and
// window.__pexHangWorker(ms) (see src/ui/worker.rs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, OUT } from './harness.mjs';

let env;
before(async () => { env = await start({ hooks: true }); });
after(async () => { await env?.stop(); });

// Paxos with five acceptors and three values: tens of millions of states (the run that used to
// kill the worker).
const BIG_PAXOS = '#v=1&m=paxos&c=safe&k.Acceptors=%7B1%2C%202%2C%203%2C%204%2C%205%7D&k.Values=%7Bv1%2C%20v2%2C%20v3%7D';
const num = s => Number(String(s).replace(/,/g, ''));
const distinct = async page => Number(await text(page, '[data-testid=check-distinct]'));
const running = page => page.waitForFunction(() => Number(document.querySelector('[data-testid=check-distinct]')?.innerText || 0) > 0, null, { timeout: 60000 });
const idle = async page => {
  await page.waitForSelector('[data-testid=check-run]', { timeout: 15000 });
  assert.equal(await page.locator('[data-testid=check-cancel]').count(), 0, 'no Cancel once the run ended');
  assert.equal(await page.locator('.check .spinner').count(), 0, 'no spinner once the run ended');
};
const fatalHidden = async page => assert.equal(await page.locator('#fatal').isHidden(), true, `fatal banner: ${await page.locator('#fatal').textContent()}`);
const shoot = async (page, name) => {
  await page.locator('.card.check').scrollIntoViewIfNeeded();
  await page.locator('.card.check').screenshot({ path: join(OUT, `${name}.png`) });
};

async function setDefaultPaxosConstants(page) {
  await page.fill('[data-testid=const-Acceptors]', '{1, 2, 3}');
  await page.fill('[data-testid=const-Values]', '{v1, v2}');
  await page.waitForFunction(() => !location.hash.includes('k.Acceptors') && !location.hash.includes('k.Values'));
}

test('bounds start filled in and can be cleared or raised', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe`);
  assert.equal(await page.locator('[data-testid=check-max-states]').inputValue(), '20000000');
  assert.equal(await page.locator('[data-testid=check-max-seconds]').inputValue(), '300');
  assert.equal(await page.locator('[data-testid=check-max-memory]').inputValue(), '2048');
  await page.fill('[data-testid=check-max-memory]', '5000');
  assert.match(await text(page, '[data-testid=check-error]'), /at most 4096/);
  await page.fill('[data-testid=check-max-memory]', '');
  await page.fill('[data-testid=check-max-states]', '');
  await page.fill('[data-testid=check-max-seconds]', '');
  assert.equal(await page.locator('[data-testid=check-error]').count(), 0);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  assert.equal(await distinct(page), pex('check', 'seqlock', '--json').distinct);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const width of [1280, 390]) {
  test(`a check that would pass the memory ceiling stops there, and the next check runs (${width} px)`, async () => {
    const page = await open(env.browser, env.base + BIG_PAXOS, { width });
    await page.fill('[data-testid=check-max-memory]', '64');
    await page.click('[data-testid=check-run]');
    await running(page);
    if (width === 1280) await shoot(page, 'check-running-1280');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 180000 });
    const verdict = await text(page, '[data-testid=check-result]');
    const m = verdict.match(/Stopped at the memory ceiling at ([\d,]+) states \((\d+) MiB\): set a bound or smaller constants/);
    assert.ok(m, verdict);
    assert.ok(num(m[1]) > 100000, verdict);
    assert.equal(num(m[1]), await distinct(page), 'the verdict names the figures shown');
    assert.ok(Number(m[2]) <= 64, `${m[2]} MiB is over the 64 MiB ceiling`);
    await idle(page);
    await fatalHidden(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `overflows by ${overflow}px`);
    await shoot(page, `check-memory-stop-${width}`);
    // Back to the seed's constants and the default ceiling: the check runs to the end.
    await setDefaultPaxosConstants(page);
    await page.fill('[data-testid=check-max-memory]', '2048');
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 300000 });
    assert.match(await text(page, '[data-testid=check-result]'), /No error/);
    assert.equal(await distinct(page), 879129);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

for (const [how, panic] of [['trap', false], ['panic', true]]) {
  test(`a worker that dies (${how}) is reported with its last figures and replaced`, async () => {
    for (const width of how === 'trap' ? [1280, 390] : [1280]) {
      const page = await open(env.browser, env.base + BIG_PAXOS, { width });
      await page.fill('[data-testid=check-max-states]', '');
      await page.click('[data-testid=check-run]');
      await running(page);
      await page.waitForTimeout(500);
      await page.evaluate(p => window.__pexCrashWorker(p), panic);
      await page.waitForSelector('[data-testid=check-died]', { timeout: 15000 });
      const said = await text(page, '[data-testid=check-died]');
      const m = said.match(/The check's worker died \(out of memory\?\) at ([\d,]+) states, depth (\d+): set a bound or smaller constants/);
      assert.ok(m, said);
      assert.equal(num(m[1]), await distinct(page));
      assert.ok(num(m[1]) > 0 && Number(m[2]) > 0, said);
      assert.equal(Number(m[2]), Number(await text(page, '[data-testid=check-depth]')));
      if (panic) assert.match(await text(page, '.check .verdict-detail'), /asked this worker to crash/);
      await idle(page);
      await fatalHidden(page);
      await shoot(page, `check-worker-died-${how}-${width}`);
      // A fresh worker runs the next check to the end.
      await page.selectOption('[data-testid=model-picker]', 'ebpf-ring');
      await page.click('[data-testid=check-run]');
      await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
      assert.match(await text(page, '[data-testid=check-result]'), /No error/);
      assert.equal(await distinct(page), pex('check', 'ebpf-ring', '--json').distinct);
      // Only the worker's own report of its death reaches the console.
      assert.deepEqual(page.errors.filter(e => !/unreachable|crash|panicked/i.test(e)), []);
      await page.context().close();
    }
  });
}

test('cancel ends a long check with its figures, and a new check right after runs from 0', async () => {
  const page = await open(env.browser, env.base + BIG_PAXOS);
  await page.fill('[data-testid=check-max-states]', '');
  await page.click('[data-testid=check-run]');
  await running(page);
  await page.waitForTimeout(1000);
  await page.click('[data-testid=check-cancel]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 5000 });
  assert.match(await text(page, '[data-testid=check-result]'), /Stopped early \(cancelled\)/);
  const cancelledAt = await distinct(page);
  assert.ok(cancelledAt > 0);
  await idle(page);
  // Straight away: the next check, on a small model, starts from 0 and completes.
  await page.selectOption('[data-testid=model-picker]', 'seqlock');
  const seen = [];
  await page.exposeFunction('__seen', n => seen.push(n));
  await page.evaluate(() => {
    new MutationObserver(() => {
      const d = document.querySelector('[data-testid=check-distinct]');
      if (d) window.__seen(Number(d.innerText));
    }).observe(document.querySelector('.card.check'), { subtree: true, childList: true, characterData: true });
  });
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  const native = pex('check', 'seqlock', '--json');
  assert.equal(await distinct(page), native.distinct);
  assert.ok(seen.every(n => n <= native.distinct), `figures of the old run leaked in: ${seen.filter(n => n > native.distinct)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('cancel ends the check within about a second even when the worker does not answer', async () => {
  const page = await open(env.browser, env.base + BIG_PAXOS);
  await page.fill('[data-testid=check-max-states]', '');
  await page.click('[data-testid=check-run]');
  await running(page);
  const before = await distinct(page);
  await page.evaluate(() => window.__pexHangWorker(20000));
  await page.waitForTimeout(300);
  const t0 = Date.now();
  await page.click('[data-testid=check-cancel]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 5000 });
  const took = Date.now() - t0;
  assert.ok(took < 3000, `cancel took ${took} ms`);
  assert.match(await text(page, '[data-testid=check-result]'), /Stopped early \(cancelled\)/);
  assert.ok(await distinct(page) >= before, 'the last figures stand');
  await idle(page);
  await page.selectOption('[data-testid=model-picker]', 'ebpf-ring');
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a worker that stops answering while it runs is taken for dead after 30 s and replaced', async () => {
  const page = await open(env.browser, env.base + BIG_PAXOS);
  await page.fill('[data-testid=check-max-states]', '');
  await page.click('[data-testid=check-run]');
  await running(page);
  await page.evaluate(() => window.__pexHangWorker(120000));
  await page.waitForSelector('[data-testid=check-died]', { timeout: 45000 });
  assert.match(await text(page, '[data-testid=check-died]'), /The check's worker stopped answering at [\d,]+ states, depth \d+ and was stopped: set a bound or smaller constants/);
  await idle(page);
  await fatalHidden(page);
  await page.selectOption('[data-testid=model-picker]', 'ebpf-ring');
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /No error/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('composed: under the unsound Groups symmetry the verdict says so, and reruns without it', async () => {
  for (const width of [1280, 390]) {
    const page = await open(env.browser, `${env.base}#v=1&m=composed&c=safe`, { width });
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    const verdict = await text(page, '[data-testid=check-result]');
    assert.match(verdict, /No violation found under the Groups symmetry reduction, which the audit found unsound/);
    assert.doesNotMatch(verdict, /No error|every reachable state/);
    assert.match(await text(page, '[data-testid=symmetry-warning]'), /permuting Groups/);
    await shoot(page, `check-composed-unsound-symmetry-${width}`);
    await page.click('[data-testid=check-rerun-no-symmetry]');
    await page.waitForSelector('[data-testid=check-result]:has-text("No error")', { timeout: 60000 });
    assert.equal(await distinct(page), pex('check', 'composed', '--no-symmetry', '--json').distinct);
    assert.equal(await page.locator('label.checkbox', { hasText: 'Symmetry' }).locator('input').isChecked(), false);
    assert.equal(await page.locator('[data-testid=symmetry-warning]').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('verdicts: deadlock wording, plurals, and long invariant names that stay inside the panel', async () => {
  // MVCC's gap breaks the longest-named invariant.
  for (const width of [1280, 390]) {
    const page = await open(env.browser, `${env.base}#v=1&m=mvcc&c=gap`, { width });
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
    assert.match(await text(page, '[data-testid=check-result]'), /Invariant MVCC4_NoLostCommitOnSnapshotInstall is violated; shortest counterexample: 4 states/);
    const spill = await page.evaluate(() => {
      const card = document.querySelector('.card.check').getBoundingClientRect();
      const v = document.querySelector('[data-testid=check-result]').getBoundingClientRect();
      return Math.max(v.right - card.right, card.left - v.left);
    });
    assert.ok(spill <= 0, `the verdict spills ${spill}px out of the panel at ${width}`);
    await shoot(page, `check-long-invariant-${width}`);
    await page.context().close();
  }
  // OCC's safe config ends in a state with no enabled action: asked for, that is a deadlock.
  const page = await open(env.browser, `${env.base}#v=1&m=occ&c=safe`);
  await page.locator('label.checkbox', { hasText: 'Report deadlocks' }).locator('input').check();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  const native = pex('check', 'occ', '--deadlock', '--json');
  assert.equal(native.invariant, 'Deadlock');
  const verdict = await text(page, '[data-testid=check-result]');
  assert.match(verdict, new RegExp(`^Deadlock reached: no action is enabled; shortest counterexample: ${native.trace.length} states\\.`));
  assert.doesNotMatch(verdict, /is violated/);
  await shoot(page, 'check-deadlock-1280');
  await page.context().close();
});
