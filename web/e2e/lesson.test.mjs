// The lesson player, played end to end as a student would: open the Paxos lesson from the picker,
// walk every step (taking `do` steps, "Show me" on `wait` steps) to the one where Agreement
// breaks, then the challenges: one checked too early (not yet), one solved by stepping through the
// actions by hand. Progress survives a reload. Screenshots of a lesson mid-way and of a solved
// challenge, at 1280 and 768 px, light and dark.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { start, open, text, invariant, stepCounter, OUT, PEX } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** The lesson's walk and challenge solutions, as `pex lesson show --solutions` prints them. */
function lessonText(name) {
  const r = spawnSync(PEX, ['lesson', 'show', name, '--solutions'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const steps = [...r.stdout.matchAll(/^## Step \d+ \(walk step \d+\): (take|wait)/gm)].map(m => m[1]);
  const solutions = [...r.stdout.matchAll(/^ {3}solution: (.*)$/gm)].map(m => m[1].split(/, (?=[A-Z])/));
  return { steps, solutions };
}

async function walkTheLesson(page, steps, { shot } = {}) {
  await page.click('[data-testid=lesson-next]');
  for (let i = 0; i < steps.length; i++) {
    if (shot && i === 3) await page.screenshot({ path: shot, fullPage: true });
    assert.match(await text(page, '[data-testid=lesson-progress]'), new RegExp(`step ${i + 1} of ${steps.length}`));
    assert.equal(await page.locator('[data-testid=lesson-next]').isDisabled(), true, 'Next waits for the step');
    if (steps[i] === 'take') {
      // The step holds the explorer: its own action alone is enabled, no random steps, and the
      // key for one is refused with a word.
      const label = (await text(page, '[data-testid=lesson-do] code')).trim();
      const enabled = await page.locator('[data-testid=actions] button.action:not([disabled])').evaluateAll(b => b.map(x => x.dataset.action));
      assert.deepEqual(enabled, [label]);
      assert.equal(await page.locator('[data-testid=random-step]').isDisabled(), true);
      if (i === 0) {
        const before = await stepCounter(page);
        await page.keyboard.press('r');
        await page.waitForSelector('[data-testid=notice-info]');
        assert.match(await text(page, '[data-testid=notice-info]'), new RegExp(`The lesson holds the explorer at this step: take ${label.replace(/[()<>,]/g, '.')}`));
        assert.deepEqual(await stepCounter(page), before);
      }
    }
    // The lesson says which step of the trace a `do` step makes (lesson and trace steps differ
    // once a wait has taken several), and a wait says what to look for before it is done.
    let traceStep = null;
    if (steps[i] === 'take') {
      traceStep = Number((await text(page, '[data-testid=lesson-trace-step]')).match(/step (\d+) of the trace/)[1]);
      assert.equal(traceStep, (await stepCounter(page))[0] + 1, `lesson step ${i + 1}`);
    } else {
      assert.ok((await text(page, '[data-testid=lesson-task]')).trim().length > 0, `lesson step ${i + 1}: the wait's caption shows before it is done`);
    }
    await page.click(steps[i] === 'take' ? '[data-testid=lesson-take]' : '[data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-caption]');
    if (traceStep !== null) assert.equal((await stepCounter(page))[0], traceStep, 'the view shows the trace step the lesson named');
    if (i + 1 < steps.length) await page.click('[data-testid=lesson-next]');
  }
}

test('a student walks the Paxos lesson to the step where Agreement breaks', async () => {
  const { steps } = lessonText('paxos');
  assert.ok(steps.length >= 5, `${steps.length} steps`);
  for (const [width, dark] of [[1280, false], [1280, true], [768, false], [768, true]]) {
    const page = await open(env.browser, `${env.base}#v=1&m=seqlock`, { width, dark });
    await page.selectOption('[data-testid=lesson-picker]', 'paxos');
    await page.waitForSelector('[data-testid=lesson-intro]');
    assert.match(await text(page, '[data-testid=lesson-title]'), /Paxos/);
    assert.match(await text(page, '[data-testid=model-picker] option:checked'), /^paxos/);
    await walkTheLesson(page, steps, { shot: join(OUT, `lesson-paxos-midway-${width}-${dark ? 'dark' : 'light'}.png`) });
    // The last step is where Agreement first fails, in the lesson and in the properties panel.
    assert.match(await text(page, '[data-testid=lesson-breaks]'), /Agreement fails/);
    assert.match(await invariant(page, 'Agreement'), /\bbad\b/);
    // What the step points at is ringed: Agreement's row, the round's learned set in the
    // inspector, and in the picture the badge that draws it.
    assert.match(await invariant(page, 'Agreement'), /\blesson-highlight\b/);
    assert.match(await page.locator('[data-testid=inspector] [data-path="learned[1]"]').getAttribute('class'), /\blesson-highlight\b/);
    assert.deepEqual(await page.locator('.view-svg g.lesson-highlight').evaluateAll((gs) => gs.map((g) => g.dataset.id)), ['learned-1']);
    assert.equal(await page.locator('.lesson-highlight').count(), 3);
    assert.deepEqual(await stepCounter(page), [steps.length, steps.length]);
    await page.screenshot({ path: join(OUT, `lesson-paxos-breaks-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('challenges: one checked too early says not yet, one solved by hand; progress survives a reload', async () => {
  const { steps, solutions } = lessonText('paxos');
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&lesson=paxos`, { width: 1280 });
  await page.waitForSelector('[data-testid=lesson-intro]');
  await walkTheLesson(page, steps);
  await page.click('[data-testid=lesson-next]');
  await page.waitForSelector('[data-testid=lesson-challenges]');
  // Challenge 1, checked at its start: not yet; a hint appears on demand.
  await page.click('[data-testid=challenge-open-0]');
  await page.click('[data-testid=challenge-check]');
  assert.match(await text(page, '[data-testid=challenge-not-yet]'), /Not yet: at this step, Agreement fails/);
  await page.click('[data-testid=challenge-hint-more]');
  assert.equal(await page.locator('[data-testid=challenge-hint]').count(), 1);
  assert.equal(await page.locator('[data-testid=challenge-0] [data-testid=challenge-solved]').count(), 0);
  // Challenge 2, solved by clicking its actions one by one: solved the moment the goal holds.
  await page.click('[data-testid=challenge-open-1]');
  const solution = solutions[1];
  for (let k = 0; k < solution.length; k++) {
    assert.equal(await page.locator('[data-testid=challenge-1] [data-testid=challenge-solved]').count(), 0, `not solved before action ${k + 1}`);
    await page.click(`[data-testid=actions] button.action[data-action="${solution[k]}"]`);
  }
  await page.waitForSelector('[data-testid=challenge-1] [data-testid=challenge-solved]');
  assert.match(await text(page, '[data-testid=lesson-progress]'), /1 of 2 solved/);
  // A reload (the address keeps the lesson) comes back to the challenges, the solved one marked.
  await page.waitForFunction(() => location.hash.includes('lesson=paxos'));
  await page.reload();
  await page.waitForSelector('[data-testid=lesson-challenges]');
  assert.equal(await page.locator('[data-testid=challenge-1] [data-testid=challenge-solved]').count(), 1);
  assert.equal(await page.locator('[data-testid=challenge-0] [data-testid=challenge-solved]').count(), 0);
  // The solved challenge, pictured at both widths in both themes.
  for (const [width, dark] of [[1280, false], [768, false], [768, true], [1280, true]]) {
    await page.setViewportSize({ width, height: 900 });
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== (dark ? 'dark' : 'light')) await page.click('[data-testid=theme]');
    await page.screenshot({ path: join(OUT, `lesson-paxos-challenge-solved-${width}-${dark ? 'dark' : 'light'}.png`), fullPage: true });
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a lesson that does not exist is refused with a message and changes nothing', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&lesson=raft`, { width: 1280 });
  await page.waitForSelector('[data-testid=notice-error]');
  assert.match(await text(page, '[data-testid=notice-error]'), /The lesson cannot be opened: there is no lesson 'raft'/);
  assert.equal(await page.locator('[data-testid=lesson]').count(), 0);
  assert.match(await text(page, '[data-testid=model-picker] option:checked'), /^seqlock/);
  await page.context().close();
});
