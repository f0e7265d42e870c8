// axe-core on the app as a student meets it: both themes, a desktop and a phone width, a lesson
// open, a lesson's problem card, a check's verdict, a lasso, the state graph; and on the docs book
// (it needs dist/docs/, scripts/site.sh): the gallery, a model page and the explorer embedded in it,
// the embedding guide and "Write a lesson". No serious or critical violation may remain;
// the ones axe rates minor or moderate are printed, not failed on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { start, open } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

/** axe's violations on the page as it is now, serious and critical first. */
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => `${n.target.join(' ')}: ${(n.failureSummary || '').split('\n').slice(1).join(' ').trim().slice(0, 160)}`).slice(0, 4) }));
  });
}

async function expectNoSerious(page, where) {
  const found = await audit(page);
  const serious = found.filter(v => v.impact === 'serious' || v.impact === 'critical');
  for (const v of found.filter(v => !serious.includes(v))) console.log(`# ${where}: ${v.impact} ${v.id} ${v.nodes.join(', ')}`);
  assert.deepEqual(serious, [], `${where}: ${JSON.stringify(serious, null, 1)}`);
}

for (const dark of [false, true]) {
  const theme = dark ? 'dark' : 'light';
  for (const width of [1280, 390]) {
    test(`axe: the app at ${width} px, ${theme} theme, stepped, checked, a lasso, the state graph`, async () => {
      const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted&seed=5`, { width, dark });
      for (let i = 0; i < 4; i++) await page.click('[data-testid=random-step]');
      await expectNoSerious(page, `paxos stepped ${width} ${theme}`);
      // Every drawing has words for a screen reader, and they change with the step.
      const alt = () => page.locator('[data-testid=view] svg.view-svg').first().getAttribute('aria-label');
      const before = await alt();
      assert.ok(before && before.length > 20, before);
      await page.click('[data-testid=random-step]');
      assert.notEqual(await alt(), before);

      await page.goto(`${env.base}#v=1&m=seqlock&c=no-verify&seed=1`);
      await page.waitForFunction(() => document.querySelector('[data-testid=config-no-verify]')?.classList.contains('active'));
      await page.click('[data-testid=check-run]');
      await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
      await expectNoSerious(page, `seqlock check verdict ${width} ${theme}`);

      await page.goto(`${env.base}#v=1&m=occ&c=termination-unfair`);
      await page.waitForFunction(() => document.querySelector('[data-testid=config-termination-unfair]')?.classList.contains('active'));
      await page.click('[data-testid=check-run]');
      await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
      await expectNoSerious(page, `occ lasso ${width} ${theme}`);
      await page.click('[data-testid=view-tab-graph]');
      await page.waitForSelector('[data-testid=state-graph] svg');
      await expectNoSerious(page, `occ state graph ${width} ${theme}`);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
  test(`axe: a lesson that cannot be played (its problem card), ${theme} theme`, async () => {
    // A lesson with a mistake, chosen through the lessons menu's file input: the card shows the
    // message and the line with a caret.
    const page = await open(env.browser, `${env.base}#v=1&m=seqlock`, { width: 390, dark });
    await page.setInputFiles('#lesson-file', { name: 'broken.toml', mimeType: 'text/plain', buffer: Buffer.from('title = "Broken"\nmodel = "seqlock"\nconfig = \n') });
    await page.waitForSelector('[data-testid=lesson-problem-excerpt]', { timeout: 30000 });
    await expectNoSerious(page, `lesson problem card ${theme}`);
    await page.context().close();
  });

  // The docs book (scripts/site.sh builds it into dist/docs/): the gallery, a model page with an
  // embedded explorer (audited inside its frame too), the embedding guide and "Write a lesson".
  for (const width of [1280, 390]) {
    test(`axe: the book at ${width} px, ${theme} theme: gallery, a model page and its embed, embedding, write a lesson`, async () => {
      for (const name of ['index.html', 'paxos.html', 'embedding.html', 'write-a-lesson.html']) {
        const context = await env.browser.newContext({ viewport: { width, height: 900 }, colorScheme: dark ? 'dark' : 'light' });
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', e => errors.push(e.message));
        assert.ok((await page.goto(`${env.base}docs/${name}`)).ok(), `docs/${name}`);
        // mdBook picks its dark theme (navy) from the reader's scheme.
        assert.equal(await page.evaluate(() => document.documentElement.classList.contains('navy')), dark, `docs/${name}: theme`);
        await page.waitForFunction(() => document.querySelector('#mdbook-sidebar-toggle')?.getAttribute('role') === 'button');
        await expectNoSerious(page, `book ${name} ${width} ${theme}`);
        if (name === 'paxos.html') {
          const frame = await (await page.waitForSelector('protocol-explorer iframe', { timeout: 30000 })).contentFrame();
          await frame.waitForSelector('[data-testid=view]', { timeout: 30000 });
          await expectNoSerious(frame, `book ${name} ${width} ${theme}, inside the embed`);
        }
        assert.deepEqual(errors, []);
        await context.close();
      }
    });
  }

  test(`axe: a lesson open, ${theme} theme`, async () => {
    const page = await open(env.browser, `${env.base}#v=1&m=seqlock`, { width: 390, dark });
    await page.selectOption('[data-testid=lesson-picker]', 'paxos');
    await page.waitForSelector('[data-testid=lesson-intro]');
    await expectNoSerious(page, `paxos lesson intro ${theme}`);
    await page.click('[data-testid=lesson-next]');
    await page.click('[data-testid=lesson-take], [data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-caption]');
    await expectNoSerious(page, `paxos lesson step 1 ${theme}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('the book\'s sidebar opens and closes from the keyboard', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${env.base}docs/paxos.html`);
  const toggle = page.locator('#mdbook-sidebar-toggle');
  await page.waitForFunction(() => document.querySelector('#mdbook-sidebar-toggle')?.getAttribute('role') === 'button');
  // On a phone the sidebar starts closed, out of the window; Tab reaches the toggle before the
  // page's content.
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.evaluate(() => document.querySelector('#mdbook-sidebar a[href="seqlock.html"]').getBoundingClientRect().right <= 0), 'closed at first');
  let presses = 0;
  while (!(await page.evaluate(() => document.activeElement?.id === 'mdbook-sidebar-toggle'))) {
    await page.keyboard.press('Tab');
    assert.ok(++presses <= 5, `${presses} Tabs without reaching the sidebar toggle`);
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#mdbook-sidebar-toggle').getAttribute('aria-expanded') === 'true');
  // The sidebar slides in: wait until its link to seqlock's page is inside the window.
  await page.waitForFunction(() => {
    const r = document.querySelector('#mdbook-sidebar a[href="seqlock.html"]')?.getBoundingClientRect();
    return r && r.left >= 0 && r.right <= innerWidth && getComputedStyle(document.getElementById('mdbook-sidebar')).visibility !== 'hidden';
  });
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('#mdbook-sidebar-toggle').getAttribute('aria-expanded') === 'false');
  await context.close();
});

test('a lesson plays from the keyboard alone: the focus follows the lesson\'s next control', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock`, { width: 390 });
  await page.selectOption('[data-testid=lesson-picker]', 'seqlock');
  await page.waitForSelector('[data-testid=lesson-intro]');
  const steps = Number((await page.locator('[data-testid=lesson-next]').innerText()).match(/(\d+) steps/)[1]);
  let presses = 0;
  while (!(await page.locator('[data-testid=lesson-challenges]').count())) {
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return e && e.closest('[data-testid=lesson]') ? e.dataset.testid : `outside the lesson: ${e?.tagName}`;
    });
    assert.match(focused, /^(lesson-next|lesson-take|lesson-show-me)$/, `after ${presses} presses`);
    await page.keyboard.press('Enter');
    presses++;
    assert.ok(presses <= 2 * steps + 1, `${presses} presses for ${steps} steps`);
  }
  // Start, then for each step its action (Take it / Show me) and Next.
  assert.equal(presses, 2 * steps + 1);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'challenge-open-0');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
