// The embed, as a docs page on another site uses it: a host page on another origin with five
// <protocol-explorer> elements (one script tag), each rendering and stepping; its events reach
// the host; the host drives one with messages (and a page of another origin cannot); the five
// download the WebAssembly once; bad attributes and an unknown model show a clear message in
// place of the widget. And the app's "Embed" snippets.
//
// Both sites are served here by one small Node server per origin that sends the cache headers a
// static host sends (GitHub Pages: max-age=600), and counts what it serves.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { DIST, PUBLIC_URL, OUT, CHROMIUM_ARGS, pex } from './harness.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

function serve(files) {
  const served = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = files(path);
    if (!file || !existsSync(file) || statSync(file).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
    served.set(path, (served.get(path) || 0) + 1);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'max-age=600' });
    res.end(readFileSync(file));
  });
  return new Promise(ok => server.listen(0, '127.0.0.1', () => ok({ server, served, origin: `http://127.0.0.1:${server.address().port}` })));
}

let app, host, browser, hostPage;

before(async () => {
  app = await serve(path => {
    if (!path.startsWith(PUBLIC_URL)) return null;
    const rest = path.slice(PUBLIC_URL.length) || 'index.html';
    const file = normalize(join(DIST, rest));
    return file.startsWith(DIST) ? file : null;
  });
  const embeds = [
    '<protocol-explorer id="a" model="paxos" config="ignore-accepted" props loading="eager"></protocol-explorer>',
    '<protocol-explorer id="b" model="seqlock" theme="dark" loading="eager"></protocol-explorer>',
    '<protocol-explorer id="c" model="hlc" controls="false" loading="eager"></protocol-explorer>',
    '<protocol-explorer id="d" model="occ" loading="eager"></protocol-explorer>',
    '<protocol-explorer id="e" model="mvcc" lesson="mvcc" loading="eager"></protocol-explorer>',
  ];
  const bad = [
    '<protocol-explorer id="no-model"></protocol-explorer>',
    '<protocol-explorer id="bad-theme" model="paxos" theme="purple"></protocol-explorer>',
    '<protocol-explorer id="unknown" model="raft" loading="eager"></protocol-explorer>',
    '<protocol-explorer id="no-lesson" model="paxos" lesson="raft" loading="eager"></protocol-explorer>',
  ];
  const page = (body) => `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Host</title></head><body>
<h1>A course page</h1><script>window.events = []; for (const t of ['pex-ready','pex-step','pex-violation','pex-resize','pex-error']) document.addEventListener(t, e => window.events.push({ id: e.target.id, type: t, detail: e.detail }), true);</script>
${body}
<script src="${app.origin}${PUBLIC_URL}embed.js"></script></body></html>`;
  host = await serve(path => ({ '/five.html': join(OUT, 'embed-five.html'), '/bad.html': join(OUT, 'embed-bad.html'), '/lesson.html': join(OUT, 'embed-lesson.html'), '/live.html': join(OUT, 'embed-live.html') })[path]);
  // A docs page with a theme picker (a class on <html>, as mdBook's), prose around the embed, an
  // embed with the action list, and one whose config and constant are not there.
  writeFileSync(join(OUT, 'embed-live.html'), page(`<style>html.dark body{background:#14161a;color:#ddd}</style>
<p id="before">Prose before the explorer.</p>
<protocol-explorer id="live" model="seqlock" config="no-verify" theme="page" actions loading="eager"></protocol-explorer>
<p id="after">Prose after the explorer.</p>
<protocol-explorer id="typo" model="paxos" config="ignore-acepted" constants="NoSuchConstant=3" loading="eager"></protocol-explorer>`));
  writeFileSync(join(OUT, 'embed-lesson.html'), page('<protocol-explorer id="l" model="seqlock" lesson="seqlock" loading="eager"></protocol-explorer>'));
  writeFileSync(join(OUT, 'embed-five.html'), page(embeds.join('\n')));
  writeFileSync(join(OUT, 'embed-bad.html'), page(bad.join('\n')));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  app?.server.close();
  host?.server.close();
});

async function openHost(name) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', e => page.errors.push(e.message));
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(`${host.origin}/${name}`);
  return page;
}

const readyIds = page => page.evaluate(() => window.events.filter(e => e.type === 'pex-ready').map(e => e.id).sort());
/** A frame fits its content: all of it shows, with at most the room to grow that embed.js adds
 * once the frame is shown (15 %) and its border. */
const fits = (box, content) => content <= box + 4 && box <= Math.ceil(content * 1.15) + 6;
const frameOf = (page, id) => page.frames().find(f => f.parentFrame() === page.mainFrame() && f.url().includes(`m=${{ a: 'paxos', b: 'seqlock', c: 'hlc', d: 'occ', e: 'mvcc' }[id]}`));

test('five embeds on another site render, say ready, and download the WebAssembly once', async () => {
  hostPage = await openHost('five.html');
  await hostPage.waitForFunction(() => window.events.filter(e => e.type === 'pex-ready').length === 5, null, { timeout: 90000 });
  assert.deepEqual(await readyIds(hostPage), ['a', 'b', 'c', 'd', 'e']);
  const wasm = [...app.served.entries()].filter(([p]) => p.endsWith('_bg.wasm'));
  const appWasm = wasm.filter(([p]) => !p.includes('worker'));
  assert.equal(appWasm.length, 1, `one app wasm file: ${JSON.stringify(wasm)}`);
  assert.equal(appWasm[0][1], 1, `the app's wasm was served once for five embeds: ${JSON.stringify(wasm)}`);
  for (const [, n] of wasm) assert.equal(n, 1, `each wasm file served once: ${JSON.stringify(wasm)}`);
  // Each frame shows its model's view and fits its content (resize events set its height).
  for (const id of ['a', 'b', 'c', 'd', 'e']) {
    const frame = frameOf(hostPage, id);
    assert.ok(frame, `frame ${id}`);
    await frame.waitForSelector('[data-testid=view] svg');
    // The frame's content is the app's root; the frame fits it within a few pixels (its border).
    // Chromium does not lay out a cross-origin frame that is off the screen, so it is brought
    // into view first, as a reader scrolling down would.
    await hostPage.evaluate(id => document.getElementById(id).scrollIntoView(), id);
    let content, box;
    for (let tries = 0; tries < 50; tries++) {
      [content, box] = await Promise.all([
        frame.evaluate(() => Math.ceil(document.getElementById('app').getBoundingClientRect().bottom)),
        hostPage.evaluate(id => document.getElementById(id).shadowRoot.querySelector('iframe').getBoundingClientRect().height, id),
      ]);
      if (fits(box, content)) break;
      await hostPage.waitForTimeout(100);
    }
    assert.ok(fits(box, content), `${id}: frame ${box}px fits its content ${content}px; events ${JSON.stringify(await hostPage.evaluate(id => window.events.filter(e => e.id === id && e.type !== "pex-step").map(e => [e.type, e.detail.height]), id))}`);
    assert.ok(content > 200, `${id}: the embed shows something (${content}px)`);
  }
  // The props attribute shows the properties panel; controls="false" hides the step bar's buttons.
  assert.equal(await frameOf(hostPage, 'a').locator('[data-testid=embed-bar] [data-testid=random-step]').count(), 1);
  assert.equal(await frameOf(hostPage, 'a').locator('.card.invariants').count(), 1);
  assert.equal(await frameOf(hostPage, 'b').locator('.card.invariants').count(), 0);
  assert.equal(await frameOf(hostPage, 'c').locator('[data-testid=random-step]').count(), 0);
  assert.equal(await frameOf(hostPage, 'b').evaluate(() => document.documentElement.dataset.theme), 'dark');
  // lesson="mvcc": the lesson player above the view, on the lesson's own config.
  await frameOf(hostPage, 'e').waitForSelector('[data-testid=lesson-intro]');
  assert.match(await frameOf(hostPage, 'e').locator('[data-testid=embed-bar]').innerText(), /· gap/);
  assert.deepEqual(hostPage.errors, []);
  // Off-screen cross-origin frames are not painted, so each is pictured in view.
  for (const id of ['a', 'b']) await hostPage.locator(`#${id}`).screenshot({ path: join(OUT, `embed-${id}-1000.png`) });
});

test('a reader steps an embed; the host hears of it and drives it with messages', async () => {
  const frame = frameOf(hostPage, 'a');
  await frame.click('[data-testid=random-step]');
  await hostPage.waitForFunction(() => window.events.some(e => e.id === 'a' && e.type === 'pex-step' && e.detail.step === 1));
  const step = await hostPage.evaluate(() => window.events.filter(e => e.id === 'a' && e.type === 'pex-step').pop().detail);
  assert.equal(step.model, 'paxos');
  assert.equal(step.config, 'ignore-accepted');
  assert.equal(typeof step.action, 'string');
  // Drive it: load the shortest counterexample's actions one by one through the element's methods.
  const native = pex('check', 'paxos', '--config', 'ignore-accepted', '--json');
  const labels = native.trace.slice(1).map(s => s.action);
  await hostPage.evaluate(() => document.getElementById('a').reset());
  await hostPage.waitForFunction(() => window.events.filter(e => e.id === 'a' && e.type === 'pex-step').pop().detail.steps === 0);
  for (const label of labels) await hostPage.evaluate(l => document.getElementById('a').step(l), label);
  await hostPage.waitForFunction(n => window.events.filter(e => e.id === 'a' && e.type === 'pex-step').pop().detail.steps === n, labels.length);
  const violation = await hostPage.evaluate(() => window.events.filter(e => e.id === 'a' && e.type === 'pex-violation').pop()?.detail);
  assert.ok(violation, 'a violation event');
  assert.equal(violation.step, labels.length);
  assert.ok(violation.properties.includes(native.invariant), `${native.invariant} in ${violation.properties}`);
  assert.match(await frame.locator('[data-testid=embed-failing]').innerText(), /fails/);
  await hostPage.evaluate(() => document.getElementById('a').goTo(2));
  await frame.waitForFunction(() => document.querySelector('[data-testid=step-counter]').textContent.startsWith('step 2 of'));
  // A bad command is answered with an error event, and changes nothing.
  await hostPage.evaluate(() => document.getElementById('a').goTo(-4));
  await hostPage.waitForFunction(() => window.events.some(e => e.id === 'a' && e.type === 'pex-error'));
  assert.match(await frame.locator('[data-testid=step-counter]').innerText(), /^step 2 of/);
});

test('a page of another origin cannot drive the embed', async () => {
  // The frame, opened on its own with its origin naming the host: a message from itself (not
  // its parent, not the host's origin) is not a command.
  const frame = frameOf(hostPage, 'd');
  const before = await frame.locator('[data-testid=step-counter]').innerText();
  await frame.evaluate(() => window.postMessage({ target: 'protocol-explorer', v: 1, type: 'step' }, '*'));
  await hostPage.waitForTimeout(300);
  assert.equal(await frame.locator('[data-testid=step-counter]').innerText(), before);
});

test('bad attributes and an unknown model show a clear message in place of the widget', async () => {
  const page = await openHost('bad.html');
  await page.waitForFunction(() => window.events.filter(e => e.type === 'pex-error').length === 4, null, { timeout: 60000 });
  const text = id => page.evaluate(id => document.getElementById(id).shadowRoot.textContent, id);
  assert.match(await text('no-model'), /needs a model attribute/);
  assert.match(await text('bad-theme'), /theme="purple" is not light, dark, auto or page/);
  const unknown = page.frames().find(f => f.url().includes('m=raft'));
  await unknown.waitForSelector('[data-testid=embed-error]');
  const message = await unknown.locator('[data-testid=embed-error]').innerText();
  assert.match(message, /raft/);
  assert.match(message, /paxos/, 'it lists the models there are');
  const noLesson = page.frames().find(f => f.url().includes('lesson=raft'));
  await noLesson.waitForSelector('[data-testid=embed-error]');
  assert.match(await noLesson.locator('[data-testid=embed-error]').innerText(), /Its lesson cannot be opened: there is no lesson 'raft'; the lessons are .*paxos/);
  assert.deepEqual(page.errors, []);
  await page.screenshot({ path: join(OUT, 'embed-bad-1000.png'), fullPage: true });
  await page.context().close();
});

test('"Embed" in the app gives snippets that open this step', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${app.origin}${PUBLIC_URL}#v=1&m=seqlock&c=safe`);
  await page.waitForSelector('[data-testid=view]');
  await page.click('[data-testid=random-step]');
  await page.click('[data-testid=embed]');
  const element = await page.locator('[data-testid=embed-element]').inputValue();
  assert.match(element, new RegExp(`<script src="${app.origin}${PUBLIC_URL}embed.js" defer></script>`));
  assert.match(element, /<protocol-explorer link="#v=1&amp;m=seqlock&amp;c=safe&amp;[^"]*at=1[^"]*" props>/);
  const iframe = await page.locator('[data-testid=embed-iframe]').inputValue();
  assert.match(iframe, /embed=1/);
  await context.close();
});

test('an embed works where the browser refuses storage (cookies blocked): a lesson plays, nothing fails', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  // In every frame, reading localStorage throws, as it does in a third-party frame with cookies blocked.
  await context.addInitScript(() => Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } }));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', e => page.errors.push(e.message));
  await page.goto(`${host.origin}/lesson.html`);
  await page.waitForFunction(() => window.events.some(e => e.type === 'pex-ready'), null, { timeout: 60000 });
  const frame = page.frames().find(f => f !== page.mainFrame());
  await frame.waitForSelector('[data-testid=lesson-intro]');
  await frame.click('[data-testid=lesson-next]');
  await frame.click('[data-testid=lesson-do] button, [data-testid=lesson-wait] button');
  await frame.waitForSelector('[data-testid=lesson-caption]');
  assert.match(await frame.locator('[data-testid=lesson-progress]').innerText(), /step 1 of/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an embed follows its page\'s theme, lists its actions, keeps its height, and tells the host what it could not do', async () => {
  const page = await openHost('live.html');
  await page.waitForFunction(() => ['live', 'typo'].every(id => window.events.some(e => e.id === id && e.type === 'pex-ready')), null, { timeout: 90000 });
  const frame = () => page.frames().find(f => f.url().includes('m=seqlock'));
  const live = frame();
  await page.evaluate(() => document.getElementById('live').scrollIntoView());
  assert.equal(await live.evaluate(() => document.documentElement.dataset.theme), 'light');
  // The page's theme picker turns it dark: the embed follows, without a reload.
  await page.evaluate(() => document.documentElement.classList.add('dark'));
  await live.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.evaluate(() => document.documentElement.classList.remove('dark'));
  await live.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  // The actions attribute: the reader takes the action of their choice.
  const first = live.locator('[data-testid=actions] button.action:not([disabled])').first();
  const label = await first.getAttribute('data-action');
  // Steps move the prose after the embed at most once (the frame grows with room to spare).
  const after = () => page.evaluate(() => Math.round(document.getElementById('after').getBoundingClientRect().top + scrollY));
  await page.waitForTimeout(300);
  const tops = [await after()];
  await first.click();
  await live.waitForFunction(l => document.querySelector('[data-testid=embed-action]')?.textContent.includes(l), label);
  for (let i = 0; i < 10; i++) {
    await live.click('[data-testid=random-step]');
    await live.waitForFunction(n => document.querySelector('[data-testid=step-counter]').textContent.startsWith(`step ${n} of`), i + 2);
    await page.waitForTimeout(60);
    tops.push(await after());
  }
  const moves = tops.filter((t, i) => i > 0 && t !== tops[i - 1]).length;
  assert.ok(moves <= 1, `the prose after the embed moved ${moves} times over 11 steps: ${tops.join(', ')}`);
  // What the host asked for and did not get is said to the host: an unknown config and constant,
  // a step past the end, an action not enabled.
  const errors = id => page.evaluate(id => window.events.filter(e => e.id === id && e.type === 'pex-error').map(e => e.detail.message), id);
  const typo = await errors('typo');
  assert.ok(typo.some(m => /ignore-acepted/.test(m)), JSON.stringify(typo));
  assert.ok(typo.some(m => /NoSuchConstant/.test(m)), JSON.stringify(typo));
  await page.evaluate(() => document.getElementById('live').goTo(500));
  await page.waitForFunction(() => window.events.some(e => e.id === 'live' && e.type === 'pex-error' && /goto 500/.test(e.detail.message)));
  await page.evaluate(() => document.getElementById('live').step('NoSuchAction'));
  await page.waitForFunction(() => window.events.some(e => e.id === 'live' && e.type === 'pex-error' && /NoSuchAction.*not enabled/.test(e.detail.message)));
  assert.deepEqual(page.errors, []);
  await page.screenshot({ path: join(OUT, 'embed-live-1000.png'), fullPage: true });
  await page.context().close();
});
