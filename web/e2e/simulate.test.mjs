// "Find a violation": seeded random walks in a worker find every gap's violation, load the walk
// into the timeline and agree with `pex simulate` on the walk (same seed, same labels).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, traceLabels, invariant, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('simulation finds each gap\'s violation in the browser, as pex simulate does, and loads it', async () => {
  // Walks break invariants and action properties; temporal properties are the exhaustive check's.
  const gaps = pex('list', '--json').flatMap(m => m.configs.filter(c => c.expect && !c.temporal.includes(c.expect)).map(c => [m.name, c.name, c.expect]));
  assert.ok(gaps.length >= 8);
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&seed=5`);
  for (const [model, config, expect] of gaps) {
    await page.goto(`${env.base}#v=1&m=${model}&c=${config}&seed=5`);
    // Only the hash changes, so the page is not reloaded: wait until the app has taken the new
    // link (and cleared the last result) before clicking, or the click runs the old config.
    await page.waitForFunction(([m, c]) => document.querySelector('[data-testid=model-picker]')?.value === m
      && document.querySelector(`[data-testid=config-${c}]`)?.classList.contains('active')
      && !document.querySelector('[data-testid=simulate-result]'), [model, config]);
    await page.waitForSelector('[data-testid=simulate-run]');
    await page.click('[data-testid=simulate-run]');
    await page.waitForSelector('[data-testid=simulate-result]', { timeout: 60000 });
    const native = pex('simulate', model, '-c', config, '--seed', '5', '--json');
    assert.equal(native.violation.invariant, expect, `${model} ${config}`);
    const result = await text(page, '[data-testid=simulate-result]');
    assert.match(result, new RegExp(`Walk ${native.violation.walk} \\(seed ${native.violation.seed}\\) broke ${expect} at step ${native.violation.length - 1}\\.`), `${model} ${config}: ${result}`);
    assert.deepEqual(await traceLabels(page), native.violation.trace.slice(1).map(s => s.action), `${model} ${config}`);
    assert.match(await invariant(page, expect), /\bbad\b/, `${model} ${config}`);
    // The seed field now holds the walk's seed.
    assert.equal(await page.inputValue('[data-testid=seed]'), String(native.violation.seed));
    if (model === 'paxos') await page.screenshot({ path: join(OUT, 'simulate-paxos-1280.png'), fullPage: true });
  }
  // A bad bound is refused beside the field and nothing runs.
  await page.fill('[data-testid=simulate-walks]', '0');
  assert.match(await text(page, '[data-testid=simulate-error]'), /Walks must be a whole number/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('random play that breaks nothing suggests the simulation; skipping stutter steps is an option', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted&seed=0`);
  await page.check('[data-testid=stop-at-violation]');
  // Play a little, then pause: paxos seed 0 breaks nothing in its first hundreds of steps.
  await page.fill('[data-testid=speed]', '9');
  await page.click('[data-testid=play]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=step-counter]').textContent.match(/step (\d+)/)[1]) > 300);
  await page.click('[data-testid=play]');
  // The notice comes with the render that handles the pause: wait for it (on a busy machine
  // that render comes later than the click's return).
  await page.waitForFunction(() => /of random play broke nothing/.test(document.querySelector('.notices')?.innerText ?? ''));
  const notices = await text(page, '.notices');
  assert.match(notices, /of random play broke nothing/);
  assert.match(notices, /Find a violation/);
  // With stutter steps skipped, a random step never leaves the state as it was.
  await page.check('[data-testid=skip-stutter]');
  await page.click('[data-testid=reset]');
  for (let i = 0; i < 30; i++) await page.click('[data-testid=random-step]');
  // The same draws as `pex walk --skip-stutter` with the page's seed.
  const walk = pex('walk', 'paxos', '-c', 'ignore-accepted', '--seed', '0', '--steps', '30', '--skip-stutter', '--json');
  assert.deepEqual(await traceLabels(page), walk.trace.slice(1).map(s => s.action));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
