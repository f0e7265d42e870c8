// The docs book as a reader meets it, served under the site's sub-path beside the app
// (scripts/site.sh builds both into dist/, the book in dist/docs/): the gallery shows a card per
// model with its picture and working links (its page, its lesson, the explorer at its gap); a
// model page's embedded explorer renders and steps; a page with five embeds downloads the app's
// WebAssembly once; a lesson page shows its steps. Screenshots of the gallery and a model page at
// 1280 and 768 px, light and dark (and of a lesson page), go to web/e2e/out/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, pex, OUT } from './harness.mjs';

let env, docs, models;

before(async () => {
  env = await start();
  docs = `${env.base}docs/`;
  models = pex('list', '--json');
});

after(async () => { await env?.stop(); });

/** A book page in a fresh context; every pex-* event of every element is kept in window.events
 * (collected on the document in the capture phase, so whether they bubble does not matter). */
async function openBook(path, { width = 1280, height = 900, dark = false, beforeLoad = async () => {} } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light' });
  await context.addInitScript(() => {
    window.events = [];
    for (const t of ['pex-ready', 'pex-step', 'pex-violation', 'pex-resize', 'pex-error']) {
      document.addEventListener(t, e => window.events.push({ index: [...document.querySelectorAll('protocol-explorer')].indexOf(e.target), type: t, detail: e.detail }), true);
    }
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', e => page.errors.push(e.message));
  await beforeLoad(page);
  await page.goto(`${docs}${path}`);
  return page;
}

/** Scrolls the embed at `index` into view (Chromium lays out no off-screen frame, and the element
 * shows a poster until it nears the screen) and waits for its pex-ready. */
async function readyEmbed(page, index, timeout = 90000) {
  await page.evaluate(i => document.querySelectorAll('protocol-explorer')[i].scrollIntoView({ block: 'center' }), index);
  await page.waitForFunction(i => window.events.some(e => e.index === i && e.type === 'pex-ready'), index, { timeout });
}

const frames = page => page.frames().filter(f => f !== page.mainFrame() && f.url().includes('embed=1'));

test('the gallery shows a card per model with its picture and working links', async () => {
  const page = await openBook('index.html');
  const cards = page.locator('.pex-card');
  assert.equal(await cards.count(), models.length, 'one card per model of pex list');
  for (const [i, m] of models.entries()) {
    const card = cards.nth(i);
    assert.match(await card.innerText(), new RegExp(m.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // The picture is lazy: bring it into view, then it must have loaded and decoded.
    const img = card.locator('img');
    await img.scrollIntoViewIfNeeded();
    await page.waitForFunction(el => el.complete, await img.elementHandle());
    assert.ok(await img.evaluate(el => el.naturalWidth) > 0, `${m.name}: its picture loaded`);
    const hrefs = await card.locator('a').evaluateAll(as => as.map(a => [a.textContent.trim(), a.href]));
    const by = text => hrefs.find(([t]) => t === text)?.[1];
    assert.equal(by('Its page'), `${docs}${m.name}.html`);
    assert.equal(by('Its lesson'), `${docs}lesson-${m.name}.html`);
    assert.ok(by('Explore it')?.startsWith(`${env.base}index.html#`), `${m.name}: ${by('Explore it')}`);
    // The page and the lesson are there and are about this model.
    for (const [url, heading] of [[by('Its page'), m.title], [by('Its lesson'), null]]) {
      const r = await page.request.get(url);
      assert.equal(r.status(), 200, url);
      const html = await r.text();
      if (heading) assert.ok(html.includes(heading), `${url} names ${heading}`);
      else assert.ok(html.includes(`href="${m.name}.html"`), `${url} links its model's page`);
    }
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('"Explore it" opens the app at the gap\'s shortest counterexample, at its last step', async () => {
  // One model is enough to show the link is the app's own deep link; the Rust test
  // (src/docs.rs) replays every embedded link natively.
  const page = await openBook('index.html');
  const m = models.find(m => m.name === 'paxos');
  const gap = m.configs.find(c => c.expect);
  const href = await page.locator('.pex-card').nth(models.indexOf(m)).locator('a', { hasText: 'Explore it' }).getAttribute('href');
  await page.goto(new URL(href, `${docs}index.html`).href);
  await page.waitForSelector('[data-testid=view]');
  const native = pex('check', m.name, '--config', gap.name, '--json');
  const n = native.trace.length - 1;
  await page.waitForFunction(n => document.querySelector('[data-testid=step-counter]')?.textContent.includes(`step ${n} of ${n}`), n);
  assert.equal(await page.locator('[data-testid=model-picker]').inputValue(), m.name);
  assert.equal(await page.locator('[data-testid=notice-error]').count(), 0);
  await page.context().close();
});

test('a model page shows its explorer, and a reader steps it', async () => {
  const page = await openBook('paxos.html');
  const embeds = await page.locator('protocol-explorer').count();
  assert.ok(embeds >= 1);
  await readyEmbed(page, 0);
  const ready = await page.evaluate(() => window.events.find(e => e.index === 0 && e.type === 'pex-ready').detail);
  assert.equal(ready.model, 'paxos');
  const gap = models.find(m => m.name === 'paxos').configs.find(c => c.expect);
  assert.equal(ready.config, gap.name);
  const frame = frames(page)[0];
  await frame.waitForSelector('[data-testid=view] svg');
  // The page's link opens at the last step of the counterexample; a random step forks from there.
  const before = ready.steps;
  await frame.click('[data-testid=random-step]');
  await page.waitForFunction(n => window.events.some(e => e.index === 0 && e.type === 'pex-step' && e.detail.step === n + 1), before);
  // And through the element's method.
  await page.evaluate(() => document.querySelector('protocol-explorer').back());
  await page.waitForFunction(n => window.events.filter(e => e.index === 0 && e.type === 'pex-step').pop().detail.step === n, before);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a page with five embeds downloads the app\'s WebAssembly once', async () => {
  // Every request of the page and its frames (same origin, so in the page's own process), and
  // through the DevTools protocol whether each response came over the network or from the cache:
  // Playwright's request event fires for cache hits too, so requests alone do not count downloads.
  // Both listen before the page loads: the first embed is in view at once and starts loading.
  const requests = [];
  const wasm = new Map();
  const page = await openBook('five-gaps.html', {
    beforeLoad: async page => {
      page.context().on('request', r => { if (r.url().endsWith('_bg.wasm')) requests.push(r.url()); });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      cdp.on('Network.requestWillBeSent', e => { if (e.request.url.endsWith('_bg.wasm')) wasm.set(e.requestId, { url: e.request.url, status: null, cached: false }); });
      cdp.on('Network.requestServedFromCache', e => { if (wasm.has(e.requestId)) wasm.get(e.requestId).cached = true; });
      cdp.on('Network.responseReceived', e => {
        const r = wasm.get(e.requestId);
        if (r) Object.assign(r, { status: e.response.status, cached: r.cached || e.response.fromDiskCache || e.response.fromPrefetchCache || false });
      });
    },
  });
  const count = await page.locator('protocol-explorer').count();
  assert.equal(count, 5);
  for (let i = 0; i < count; i++) await readyEmbed(page, i);
  const ready = await page.evaluate(() => window.events.filter(e => e.type === 'pex-ready').map(e => e.index).sort());
  assert.deepEqual(ready, [0, 1, 2, 3, 4]);
  const app = [...wasm.values()].filter(r => !r.url.includes('worker'));
  const downloads = app.filter(r => r.status === 200 && !r.cached);
  console.log(`five embeds: ${requests.length} requests for *_bg.wasm seen by Playwright (${requests.filter(u => !u.includes('worker')).length} for the app's); responses: ${JSON.stringify(app.map(r => `${r.status}${r.cached ? ' cache' : ''}`))}`);
  assert.equal(downloads.length, 1, `the app's wasm came over the network once: ${JSON.stringify(app)}`);
  assert.equal(new Set(app.map(r => r.url)).size, 1, 'one app wasm file');
  // The other four frames asked for it too, and the browser's cache answered.
  assert.equal(app.length, 5, `five frames asked for the app's wasm: ${JSON.stringify(app)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a lesson page renders its steps, answers folded away, and the lesson\'s walk embedded', async () => {
  const page = await openBook('lesson-paxos.html');
  const steps = page.locator('.pex-step');
  // As many sections as `pex lesson show paxos` has steps.
  const shown = (await import('node:child_process')).spawnSync(process.env.PEX_BIN || join(import.meta.dirname, '../../target/release/pex'), ['lesson', 'show', 'paxos'], { encoding: 'utf8' }).stdout;
  const n = (shown.match(/^## Step \d+/gm) || []).length;
  assert.ok(n > 0);
  assert.equal(await steps.count(), n);
  assert.match(await steps.nth(0).locator('h2').innerText(), /^Step 1: Promise\(1, <<1, 0, 1>>\)$/);
  // The step where Agreement breaks says so.
  assert.equal(await page.locator('.pex-breaks', { hasText: 'Agreement' }).count(), 1);
  // Answers and hints are closed until clicked.
  const answer = page.locator('details:has(summary:text-is("Answer"))').first();
  assert.equal(await answer.evaluate(d => d.open), false);
  await answer.locator('summary').click();
  assert.equal(await answer.evaluate(d => d.open), true);
  assert.ok((await answer.innerText()).length > 'Answer'.length);
  assert.ok(await page.locator('summary:text-is("Hint 1")').count() >= 1);
  // The embed holds the whole walk at its initial state.
  await readyEmbed(page, 0);
  const ready = await page.evaluate(() => window.events.find(e => e.index === 0 && e.type === 'pex-ready').detail);
  const walk = Number(shown.match(/^## Step \d+ \(walk step (\d+)\)/gm).pop().match(/walk step (\d+)/)[1]);
  assert.deepEqual([ready.model, ready.step, ready.steps], ['paxos', 0, walk]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the app links to the docs', async () => {
  const page = await openBook('index.html');
  const app = new URL('../', page.url()).href;
  await page.goto(app);
  await page.waitForSelector('[data-testid=view]');
  await page.click('[data-testid=docs-link]');
  await page.waitForSelector('.pex-gallery');
  assert.equal(new URL(page.url()).pathname, new URL('docs/', app).pathname);
  await page.context().close();
});

test('"Write a lesson" plays its worked example in an embed, fetched beside the page', async () => {
  const page = await openBook('write-a-lesson.html');
  assert.match(await page.locator('main h1').first().innerText(), /Write a lesson/);
  // The worked example in the chapter's text is the file the embed plays.
  const example = readFileSync(join(import.meta.dirname, '../../lessons/examples/gossip-twice.toml'), 'utf8');
  const title = example.match(/^title = "(.*)"$/m)[1];
  assert.ok((await page.locator('main').innerText()).includes(`title = "${title}"`), 'the chapter quotes the example');
  const index = await page.evaluate(() => [...document.querySelectorAll('protocol-explorer')].findIndex(e => e.hasAttribute('lesson-src')));
  assert.ok(index >= 0, 'an embed with lesson-src');
  await readyEmbed(page, index);
  const frame = frames(page).find(f => f.url().includes('lesson-src='));
  await frame.waitForSelector('[data-testid=lesson-title]', { timeout: 30000 });
  assert.equal((await frame.locator('[data-testid=lesson-title]').innerText()).trim(), title);
  await frame.click('[data-testid=lesson-next]');
  await frame.click('[data-testid=lesson-take], [data-testid=lesson-show-me]');
  await frame.waitForSelector('[data-testid=lesson-caption]');
  assert.deepEqual(await page.evaluate(() => window.events.filter(e => e.type === 'pex-error').map(e => e.detail.message)), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('screenshots: the gallery and a model page at 1280 and 768 px, light and dark', async () => {
  for (const dark of [false, true]) {
    for (const width of [1280, 768]) {
      const scheme = dark ? 'dark' : 'light';
      let page = await openBook('index.html', { width, dark });
      // Every picture loaded before the picture is taken.
      for (const img of await page.locator('.pex-card img').all()) await img.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => [...document.images].every(i => i.complete && i.naturalWidth > 0));
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUT, `docs-gallery-${width}-${scheme}.png`), fullPage: true });
      await page.context().close();
      page = await openBook('paxos.html', { width, dark });
      await readyEmbed(page, 0);
      const frame = frames(page)[0];
      await frame.waitForSelector('[data-testid=view] svg');
      // The embed follows the book's theme (theme="page").
      assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), scheme);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(OUT, `docs-paxos-${width}-${scheme}.png`) });
      // Cross-origin or not, a frame off the screen may not be painted: the embed is pictured in view.
      await page.locator('protocol-explorer').first().screenshot({ path: join(OUT, `docs-paxos-embed-${width}-${scheme}.png`) });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
    // And a lesson page's first steps, at the wide width.
    const page = await openBook('lesson-paxos.html', { dark });
    await page.locator('.pex-step').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT, `docs-lesson-paxos-1280-${dark ? 'dark' : 'light'}.png`) });
    await page.context().close();
  }
});
