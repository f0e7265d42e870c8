// End-to-end tests: the release build in headless Chromium, clicked through as a person would.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, timelineLabels, invariant, OUT } from './harness.mjs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const TORN = ['WriterBegin', 'WriterData', 'WriterFinish', 'ReaderLoadStamp1(1)', 'WriterBegin', 'WriterData',
  'WriterFinish', 'WriterBegin', 'WriterData', 'ReaderLoadValue(1)', 'ReaderVerify(1)'];

async function clickAction(page, label) {
  await page.click(`[data-testid=actions] [data-action="${label}"]`);
}

test('opens the first model with its view, actions and invariants, and no console error', async () => {
  const page = await open(env.browser, env.base);
  assert.match(await page.locator('[data-testid=model-picker]').inputValue(), /seqlock/);
  assert.match(await text(page, '[data-testid=model-story]'), /seqlock stamps/);
  assert.equal(await page.locator('[data-testid=view] svg [data-id=slot-0]').count(), 1);
  assert.deepEqual(await page.locator('[data-testid=actions] button:not([disabled])').allInnerTexts(),
    ['WriterBegin', 'ReaderLoadStamp1(1)', 'ReaderLoadStamp1(2)']);
  assert.ok(await page.locator('[data-testid=actions] button[disabled]', { hasText: 'ReaderVerify' }).count() === 1, 'disabled families greyed');
  for (const inv of ['TypeOK', 'ResultIsValid', 'NoTornRead']) assert.match(await invariant(page, inv), /\bok\b/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('steps by clicking, highlights what changed, goes back and forward, forks and undoes the fork', async () => {
  const page = await open(env.browser, env.base);
  await clickAction(page, 'WriterBegin');
  assert.match(await page.locator('[data-testid=view] [data-id=slot-0]').getAttribute('class'), /\bodd\b/);
  assert.match(await page.locator('[data-path="ring[0].stamp"]').getAttribute('class'), /\bchanged\b/);
  assert.doesNotMatch(await page.locator('[data-path="ring[1].stamp"]').getAttribute('class'), /\bchanged\b/);
  await clickAction(page, 'WriterData');
  await clickAction(page, 'WriterFinish');
  assert.deepEqual(await stepCounter(page), [3, 3]);
  assert.match(await page.locator('[data-testid=view] [data-id=slot-0]').getAttribute('class'), /\bdone\b/);
  await page.click('[data-testid=back]');
  await page.click('[data-testid=back]');
  assert.deepEqual(await stepCounter(page), [1, 3]);
  await page.click('[data-testid=forward]');
  assert.deepEqual(await stepCounter(page), [2, 3]);
  // Travel by clicking a timeline step, then fork from the past.
  await page.click('[data-testid=timeline] li[data-step="1"] button');
  await clickAction(page, 'ReaderLoadStamp1(2)');
  assert.deepEqual(await timelineLabels(page), ['WriterBegin', 'ReaderLoadStamp1(2)']);
  await page.click('[data-testid=undo-fork]');
  assert.deepEqual(await timelineLabels(page), ['WriterBegin', 'WriterData', 'WriterFinish']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('keyboard: r steps at random, arrows move, space plays and pauses', async () => {
  const page = await open(env.browser, env.base);
  await page.locator('body').press('r');
  await page.locator('body').press('r');
  await page.locator('body').press('r');
  assert.deepEqual(await stepCounter(page), [3, 3]);
  await page.locator('body').press('ArrowLeft');
  assert.deepEqual(await stepCounter(page), [2, 3]);
  await page.locator('body').press('ArrowRight');
  assert.deepEqual(await stepCounter(page), [3, 3]);
  await page.locator('body').press(' ');
  await page.waitForTimeout(700);
  await page.locator('body').press(' ');
  const [, n] = await stepCounter(page);
  assert.ok(n > 5, `play should have taken steps, has ${n}`);
  await page.context().close();
});

test('random steps follow the seed exactly as pex walk does', async () => {
  const page = await open(env.browser, env.base);
  await page.fill('[data-testid=seed]', '7');
  for (let i = 0; i < 30; i++) await page.click('[data-testid=random-step]');
  const native = pex('walk', 'seqlock', '--seed', '7', '--steps', '30', '--json');
  const labels = native.trace.slice(1).map(s => s.action);
  assert.deepEqual(await timelineLabels(page), labels);
  // A bad seed is refused beside the field.
  await page.fill('[data-testid=seed]', 'seven');
  assert.match(await text(page, '[data-testid=seed-error]'), /not a seed/);
  await page.context().close();
});

test('random play runs thousands of steps at full speed without freezing the page', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&seed=3`);
  await page.locator('[data-testid=speed]').fill('9'); // "max"
  await page.click('[data-testid=play]');
  // The page keeps answering while it plays: time a round trip through the event loop.
  const t0 = Date.now();
  await page.evaluate(() => new Promise(r => setTimeout(r, 0)));
  const answer = Date.now() - t0;
  await page.waitForTimeout(2500);
  await page.click('[data-testid=play]');
  const [, n] = await stepCounter(page);
  assert.ok(n > 2000, `expected thousands of steps, got ${n}`);
  assert.ok(answer < 1000, `the page took ${answer} ms to answer while playing`);
  await page.context().close();
});

test('random play stops at the first violation, at the same step as pex walk with that seed', async () => {
  // A seed whose walk reaches a torn read (in many walks the writer finishes first and none can happen).
  let seed, native;
  for (seed = 0; seed < 300; seed++) {
    native = pex('walk', 'seqlock', '-c', 'no-verify', '--seed', String(seed), '--steps', '3000', '--stop-on-violation', '--json');
    if (native.end === 'violation') break;
  }
  assert.equal(native.end, 'violation', 'some seed below 300 reaches the torn read');
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=no-verify&seed=${seed}`);
  await page.locator('[data-testid=speed]').fill('9');
  await page.click('[data-testid=play]');
  await page.waitForSelector('[data-testid=notice-info]:has-text("Random play stopped at step")', { timeout: 20000 });
  assert.deepEqual(await stepCounter(page), [native.steps, native.steps]);
  assert.match(await text(page, '[data-testid=notice-info]'), new RegExp(`stopped at step ${native.steps}: NoTornRead fails`));
  assert.match(await invariant(page, 'NoTornRead'), /\bbad\b/);
  await page.context().close();
});

test('switching to a gap replays the trace and says where the configurations part', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe`);
  for (const a of TORN) await clickAction(page, a);
  assert.match(await invariant(page, 'NoTornRead'), /\bok\b/, 'on safe the torn value is discarded');
  await page.click('[data-testid=config-no-verify]');
  assert.match(await text(page, '[data-testid=comparison]'), /safe → no-verify/);
  assert.match(await text(page, '[data-testid=comparison]'), /From step 11 the verdicts differ: NoTornRead/);
  assert.match(await invariant(page, 'NoTornRead'), /\bbad\b/);
  assert.match(await text(page, '[data-testid=config-summary]'), /Expected to break: NoTornRead/);
  assert.match(await page.locator('[data-testid=view] [data-id=reader-1]').getAttribute('class'), /\btorn\b/);
  await page.screenshot({ path: join(OUT, 'seqlock-torn-read-1280.png'), fullPage: true });
  await page.context().close();
});

test('the checker runs in a worker, finds the violation and loads the shortest counterexample', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=no-verify`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /NoTornRead is violated; shortest counterexample: 12 states/);
  const native = pex('check', 'seqlock', '--config', 'no-verify', '--json');
  assert.equal(Number(await text(page, '[data-testid=check-distinct]')), native.distinct);
  assert.equal(Number(await text(page, '[data-testid=check-depth]')), native.depth);
  assert.deepEqual(await stepCounter(page), [11, 11]);
  assert.deepEqual(await timelineLabels(page), native.trace.slice(1).map(s => s.action));
  assert.match(await invariant(page, 'NoTornRead'), /\bbad\b/);
  assert.equal(await page.locator('[data-testid=check-chart]').count(), 1);
  // Step back through the counterexample: before the last step NoTornRead still holds.
  await page.click('[data-testid=back]');
  assert.match(await invariant(page, 'NoTornRead'), /\bok\b/);
  assert.match(await text(page, '[data-prop=NoTornRead] .first-broken'), /broke at step 11/);
  await page.click('[data-prop=NoTornRead] .first-broken');
  assert.deepEqual(await stepCounter(page), [11, 11]);
  // The trace it replaced can come back.
  await page.click('[data-testid=restore]');
  assert.deepEqual(await stepCounter(page), [0, 0]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a running check reports progress and can be cancelled; bounds end it cleanly', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&k.NumReaders=3&k.MaxSeq=8&k.RingSize=3`);
  await page.click('[data-testid=check-run]');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=check-distinct]')?.innerText || 0) > 0);
  // The page stays responsive during the check.
  await page.click('[data-testid=random-step]');
  assert.deepEqual(await stepCounter(page), [1, 1]);
  await page.click('[data-testid=check-cancel]');
  await page.waitForSelector('[data-testid=check-result]');
  assert.match(await text(page, '[data-testid=check-result]'), /Stopped early \(cancelled\)/);
  await page.fill('[data-testid=check-max-states]', '2000');
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /Stopped early \(max-states\)/);
  await page.fill('[data-testid=check-max-states]', 'lots');
  assert.match(await text(page, '[data-testid=check-error]'), /Max states must be a whole number/);
  await page.context().close();
});

test('a deep link reopens exactly the same step, and survives a reload', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=ebpf-ring&c=safe&k.Capacity=3&seed=5`);
  for (const a of ['ProducerReserve(2)', 'ProducerSubmit', 'ConsumerNext', 'AsyncQuery']) await clickAction(page, a);
  await page.click('[data-testid=back]');
  await page.waitForFunction(() => location.hash.includes('at=3'));
  const url = page.url();
  const inspector = await text(page, '[data-testid=inspector]');
  await page.reload();
  await page.waitForSelector('[data-testid=view]');
  assert.deepEqual(await stepCounter(page), [3, 4]);
  assert.equal(await text(page, '[data-testid=inspector]'), inspector);
  assert.equal(await page.locator('[data-testid=const-Capacity]').inputValue(), '3');
  assert.equal(await page.locator('[data-testid=seed]').inputValue(), '5');
  // The same link in a new tab.
  const other = await open(env.browser, url);
  assert.deepEqual(await stepCounter(other), [3, 4]);
  assert.equal(await text(other, '[data-testid=inspector]'), inspector);
  assert.deepEqual(page.errors, []);
  await page.context().close();
  await other.context().close();
});

test('a link that lands while the app is about to update the address bar is followed, not written over', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=ebpf-ring&c=safe`);
  await clickAction(page, 'ProducerReserve(2)');
  // A step schedules the app's own update of the address bar. Meanwhile a new fragment arrives
  // whose hashchange event has not been handled yet: pushState changes the address without one.
  await page.evaluate(() => history.pushState(null, '', '#v=1&m=paxos&c=ignore-accepted'));
  await clickAction(page, 'ProducerSubmit');
  // Long past the app's update delay (150 ms): the address is still the one that arrived.
  await page.waitForTimeout(1500);
  assert.equal(new URL(page.url()).hash, '#v=1&m=paxos&c=ignore-accepted');
  // Its event, late, is followed.
  await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
  await page.waitForFunction(() => document.querySelector('[data-testid=model-picker]').value === 'paxos');
  assert.deepEqual(await stepCounter(page), [0, 0]);
  // And the app writes the address again from then on.
  await page.click('[data-testid=random-step]');
  await page.waitForFunction(() => location.hash.includes('m=paxos') && location.hash.includes('t='));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a malformed or outdated link shows a message and the initial state, never a blank page', async () => {
  for (const [hash, message] of [
    ['#v=1&m=paxos-9', /unknown model 'paxos-9'/],
    ['#v=1&m=seqlock&c=no-such', /no config 'no-such'/],
    ['#v=1&m=seqlock&k.MaxSeq=99', /out of range/],
    ['#v=1&m=seqlock&t=0.0.9&h=12345678&at=3', /does not replay/],
    ['#v=1&m=seqlock&t=0&h=12345678&at=1', /another version of the model/],
    ['#garbage%%', /could not be read/],
  ]) {
    const page = await open(env.browser, env.base + hash);
    assert.match(await text(page, '[data-testid=notice-error]'), message, hash);
    assert.deepEqual(await stepCounter(page), [0, 0], hash);
    assert.equal(await page.locator('[data-testid=view] .view-scroll svg').count(), 1, hash);
    await page.context().close();
  }
});

test('an out-of-range constant gets a message beside the field and changes nothing', async () => {
  const page = await open(env.browser, env.base);
  await clickAction(page, 'WriterBegin');
  await page.fill('[data-testid=const-MaxSeq]', '99');
  assert.match(await text(page, '[data-testid=const-error-MaxSeq]'), /99 is out of range; allowed 0\.\.10/);
  assert.deepEqual(await stepCounter(page), [1, 1]);
  assert.doesNotMatch(page.url(), /MaxSeq/);
  await page.fill('[data-testid=const-MaxSeq]', '2');
  assert.equal(await page.locator('[data-testid=const-error-MaxSeq]').count(), 0);
  await page.waitForFunction(() => location.hash.includes('k.MaxSeq=2'));
  assert.deepEqual(await stepCounter(page), [1, 1], 'the trace replays on the new constants');
  await page.context().close();
});

test('ebpf-ring: the gap lets the consumer hold an uninitialised record', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=ebpf-ring&c=publish-before-lock`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 60000 });
  assert.match(await text(page, '[data-testid=check-result]'), /Safety is violated; shortest counterexample: 3 states/);
  assert.deepEqual(await timelineLabels(page), ['ProducerReserve(1)', 'ConsumerNext']);
  assert.match(await page.locator('[data-testid=view] [data-id=unit-0]').getAttribute('class'), /\buninit\b/);
  assert.match(await page.locator('[data-testid=view] [data-id=held]').getAttribute('class'), /\bbad\b/);
  assert.match(await text(page, '[data-testid=caption]'), /not Submitted/);
  await page.context().close();
});

test('traces export to a file and import back; a bad file is refused with a message', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe`);
  for (const a of TORN.slice(0, 5)) await clickAction(page, a);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
  const file = join(OUT, 'exported-trace.json');
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(saved.actions, TORN.slice(0, 5));
  await page.click('[data-testid=reset]');
  assert.deepEqual(await stepCounter(page), [0, 0]);
  await page.setInputFiles('[data-testid=import]', file);
  await page.waitForFunction(() => /step 5 of 5/.test(document.querySelector('[data-testid=step-counter]').innerText));
  const bad = join(OUT, 'bad-trace.json');
  writeFileSync(bad, '{"model":"seqlock","config":"safe","constants":[],"actions":["WriterData"]}');
  await page.setInputFiles('[data-testid=import]', bad);
  await page.waitForSelector('[data-testid=notice-error]');
  assert.match(await text(page, '[data-testid=notice-error]'), /does not replay: step 1: action WriterData is not enabled/);
  assert.deepEqual(await stepCounter(page), [5, 5]);
  await page.context().close();
});

test("TLC's own error trace and an ITF file open in the app, matched state by state; ITF exports", async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe`);
  // TLC 2.15's output for paxos's gap (tests/fixtures): the app finds the model and the config.
  await page.setInputFiles('[data-testid=import]', join(here, '../../tests/fixtures/paxos-ignore-accepted.tlc.out'));
  await page.waitForFunction(() => /step 10 of 10/.test(document.querySelector('[data-testid=step-counter]')?.innerText));
  assert.equal(await page.locator('[data-testid=model-picker]').inputValue(), 'paxos');
  assert.match(await page.locator('[data-testid=config-ignore-accepted]').getAttribute('class'), /active/);
  assert.match((await page.locator('[data-testid=notice-info]').allInnerTexts()).join(' | '), /Read a TLC error trace: every state matched paxos\/ignore-accepted, step by step/);
  assert.match(await invariant(page, 'Agreement'), /bad/, 'Agreement fails at the last state, as TLC says');
  // Its ITF export opens again as the same trace.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-itf]')]);
  const itf = join(OUT, 'paxos-ignore-accepted.itf.json');
  await download.saveAs(itf);
  const written = JSON.parse(readFileSync(itf, 'utf8'));
  assert.equal(written['#meta'].format, 'ITF');
  assert.equal(written.states.length, 11);
  assert.deepEqual(pex('replay', itf, '--json').properties.find(p => p.name === 'Agreement').state, 11, 'pex replay reads the app\'s ITF');
  await page.click('[data-testid=reset]');
  await page.setInputFiles('[data-testid=import]', itf);
  await page.waitForFunction(() => /step 10 of 10/.test(document.querySelector('[data-testid=step-counter]')?.innerText));
  // A TLC trace whose fifth state is no step of the model says which variable differs.
  const blocks = readFileSync(join(here, '../../tests/fixtures/paxos-ignore-accepted.tlc.out'), 'utf8').split('\n\n');
  const five = blocks.findIndex(b => b.includes('State 5:'));
  blocks[five] = blocks[five].replace('/\\ learned = <<{}>>', '/\\ learned = <<{v2}>>');
  const bad = join(OUT, 'bad-tlc-trace.out');
  writeFileSync(bad, blocks.join('\n\n'));
  await page.setInputFiles('[data-testid=import]', bad);
  await page.waitForSelector('[data-testid=notice-error]');
  assert.match(await text(page, '[data-testid=notice-error]'), /state 5 is not a step of paxos\/ignore-accepted from state 4: .* the trace has learned = <<\{v2\}>>, the model has learned = <<\{\}>>/);
  assert.deepEqual(await stepCounter(page), [10, 10], 'the refused file changed nothing');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an uncaught error shows the banner instead of failing silently', async () => {
  const page = await open(env.browser, env.base);
  assert.equal(await page.locator('#fatal').isVisible(), false);
  await page.evaluate(() => window.dispatchEvent(new ErrorEvent('error', { message: 'simulated failure' })));
  assert.match(await text(page, '#fatal'), /simulated failure/);
  await page.context().close();
});

test('screenshots of every view, light and dark, wide and narrow', async () => {
  const views = [
    ['seqlock', `#v=1&m=seqlock&c=seed-invariant`, TORN.slice(0, 7)],
    ['ebpf-ring', `#v=1&m=ebpf-ring&c=safe`, ['ProducerReserve(2)', 'ProducerSubmit', 'ProducerReserve(1)', 'AsyncQuery', 'ConsumerNext']],
  ];
  for (const [name, hash, steps] of views) {
    for (const [width, dark] of [[1280, false], [768, true], [1440, true], [768, false]]) {
      const page = await open(env.browser, env.base + hash, { width, height: 900, dark });
      for (const a of steps) await clickAction(page, a);
      const path = join(OUT, `${name}-${width}-${dark ? 'dark' : 'light'}.png`);
      await page.screenshot({ path, fullPage: true });
      // Nothing may overflow the window sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px overflows by ${overflow}px`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  }
});
