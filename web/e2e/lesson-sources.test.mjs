// Lessons from anywhere, as a teacher publishes one: her lesson file served from another origin by
// `pex lesson serve` (with CORS) opens from a link and plays; a mistake in it is shown in place
// with its line and column; a server without CORS, or an address that is not there, says why;
// progress is kept per lesson source. On a third page (the course's), the same lesson by
// `lesson-src` and an inline `<script type="text/x-pex-lesson">` play inside embeds, and a broken
// inline lesson tells the host with pex-error. A lesson file chosen in the lessons menu, and files
// dropped on the app (a lesson, TLC's output, an ITF trace) open.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, open, text, stepCounter, invariant, OUT, PEX } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SEQLOCK = readFileSync(join(here, '../../lessons/seqlock.toml'), 'utf8');
/** The seqlock lesson under another title: a teacher's own lesson. */
const retitled = title => SEQLOCK.replace(/^title = ".*"$/m, `title = "${title}"`);
/** The same lesson with a TOML mistake on its title line. */
const broken = title => retitled(title).replace(/^title = /m, 'title = = ');

let env, served, dir;
const servers = [];

/** `pex lesson serve FILE` as a teacher runs it; resolves once it prints the link to open. */
function serveLesson(file, app) {
  const child = spawn(PEX, ['lesson', 'serve', file, '--port', '0', '--app', app], { stdio: ['ignore', 'pipe', 'pipe'] });
  const s = { child, out: '' };
  child.stdout.on('data', d => { s.out += d; });
  child.stderr.on('data', d => { s.out += d; });
  s.waitFor = async (re, from = 0, ms = 30000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = s.out.slice(from).match(re);
      if (m) return m;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`pex lesson serve did not print ${re} in ${ms} ms; it printed:\n${s.out}`);
  };
  return s;
}

/** A small server on its own origin: `routes[path]` is [headers, body]. */
function origin(routes) {
  const server = createServer((req, res) => {
    const route = routes[req.url.split('?')[0]];
    if (!route) { res.writeHead(404); res.end('not here'); return; }
    res.writeHead(200, route[0]);
    res.end(route[1]);
  });
  servers.push(server);
  return new Promise(ok => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`)));
}

async function lessonTitle(where) {
  await where.waitForSelector('[data-testid=lesson-title]', { timeout: 30000 });
  return (await where.locator('[data-testid=lesson-title]').innerText()).trim();
}

/** Starts the lesson and takes its first step (a `do` step), as a student would. */
async function takeFirstStep(where) {
  await where.click('[data-testid=lesson-next]');
  await where.click('[data-testid=lesson-take]');
  await where.waitForSelector('[data-testid=lesson-caption]');
}

/** Drops a file on the app as a reader drags it from their desktop. */
async function drop(page, name, content) {
  await page.evaluate(({ name, content }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], name, { type: 'text/plain' }));
    const target = document.querySelector('[data-testid=view]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, { name, content });
}

before(async () => {
  env = await start();
  dir = mkdtempSync(join(tmpdir(), 'pex-her-lesson-'));
  writeFileSync(join(dir, 'her-lesson.toml'), retitled('Her seqlock lesson'));
  served = serveLesson(join(dir, 'her-lesson.toml'), env.base);
  await served.waitFor(/^ok: /m);
});
after(async () => {
  served?.child.kill();
  for (const s of servers) s.close();
  await env?.stop();
});

test('a lesson served from another origin opens from a link, plays, keeps its own progress, and shows a mistake in place', async () => {
  const [, link] = await served.waitFor(/^open: (\S+)$/m);
  const [, url] = await served.waitFor(/^serving .* at (http:\/\/127\.0\.0\.1:\d+\/her-lesson\.toml)$/m);
  assert.ok(link.startsWith(`${env.base}#lesson-src=`), link);
  assert.notEqual(new URL(url).origin, new URL(env.base).origin, 'the lesson is on another origin than the app');
  const page = await open(env.browser, link);
  assert.equal(await lessonTitle(page), 'Her seqlock lesson');
  assert.equal(await page.locator('[data-testid=model-picker]').inputValue(), 'seqlock', 'the lesson names its model');
  await takeFirstStep(page);
  assert.deepEqual(await stepCounter(page), [1, 1]);
  await page.waitForFunction(() => location.hash.includes('lesson-src='));
  assert.equal(decodeURIComponent(new URL(page.url()).hash.match(/lesson-src=([^&]+)/)[1]), url, 'the address names the lesson for a reload or a share');
  // A reload comes back where the reader left off: the step after the one taken.
  await page.reload();
  await page.waitForSelector('[data-testid=lesson-take]', { timeout: 30000 });
  assert.match(await text(page, '[data-testid=lesson-progress]'), /step 2 of/);
  // The built-in seqlock lesson is another lesson: its progress is its own.
  await page.selectOption('[data-testid=lesson-picker]', 'seqlock');
  await page.waitForSelector('[data-testid=lesson-intro]');
  assert.match(await lessonTitle(page), /^Seqlock: how a reader returns a torn value/);

  // The teacher saves a mistake: pex lesson serve says where, and so does the page, in place.
  const mark = served.out.length;
  writeFileSync(join(dir, 'her-lesson.toml'), broken('Her seqlock lesson'));
  const [errorLine] = await served.waitFor(/^error: .*line \d+, column \d+.*$/m, mark);
  const mistake = await open(env.browser, link);
  await mistake.waitForSelector('[data-testid=lesson-problem]', { timeout: 30000 });
  const message = await text(mistake, '[data-testid=lesson-problem-message]');
  const [, line, column] = message.match(/line (\d+), column (\d+)/);
  assert.ok(message.startsWith(`${url}: line ${line}, column ${column}: `), message);
  assert.ok(errorLine.includes(`line ${line}, column ${column}`), `pex lesson serve and the page agree: ${errorLine}`);
  const excerpt = await text(mistake, '[data-testid=lesson-problem-excerpt]');
  const [source, caret] = excerpt.split('\n');
  assert.match(source, new RegExp(`^\\s*${line} │ title = = "Her seqlock lesson"`));
  assert.equal(caret.indexOf('^') - caret.indexOf('│') - 2, Number(column) - 1, `the caret stands under column ${column}:\n${excerpt}`);
  assert.equal(await mistake.locator('[data-testid=lesson-intro]').count(), 0, 'nothing plays');
  assert.ok(mistake.url().includes('lesson-src='), 'the address keeps the lesson, so a reload after the fix tries again');
  await mistake.screenshot({ path: join(OUT, 'lesson-mistake-1280.png') });
  // Fixed: a reload plays it again, at the reader's kept progress.
  const fixed = served.out.length;
  writeFileSync(join(dir, 'her-lesson.toml'), retitled('Her seqlock lesson'));
  await served.waitFor(/^ok: /m, fixed);
  await mistake.reload();
  assert.equal(await lessonTitle(mistake), 'Her seqlock lesson');
  assert.deepEqual(page.errors.concat(mistake.errors), []);
  await page.context().close();
  await mistake.context().close();
});

test('a lesson address that cannot be read says why: no CORS header, not found, not http', async () => {
  const noCors = await origin({ '/lesson.toml': [{ 'Content-Type': 'application/toml' }, retitled('No CORS')] });
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&lesson-src=${encodeURIComponent(`${noCors}/lesson.toml`)}`);
  await page.waitForSelector('[data-testid=lesson-problem]', { timeout: 30000 });
  assert.match(await text(page, '[data-testid=lesson-problem-message]'), /cannot be loaded: it could not be fetched: .*Access-Control-Allow-Origin/);
  assert.equal(await page.locator('[data-testid=model-picker]').inputValue(), 'paxos', 'the explorer shows what the link names');
  const [, url] = await served.waitFor(/^serving .* at (http:\S+)$/m);
  const missing = url.replace('her-lesson.toml', 'nobody.toml');
  await page.goto(`${env.base}#v=1&m=paxos&lesson-src=${encodeURIComponent(missing)}`);
  await page.waitForFunction(() => /answered 404/.test(document.querySelector('[data-testid=lesson-problem-message]')?.innerText));
  await page.goto(`${env.base}#v=1&m=paxos&lesson-src=${encodeURIComponent('javascript:alert(1)')}`);
  await page.waitForFunction(() => /not an http or https address/.test(document.querySelector('[data-testid=lesson-problem-message]')?.innerText));
  await page.click('[data-testid=lesson-problem-close]');
  assert.equal(await page.locator('[data-testid=lesson-problem]').count(), 0);
  await page.context().close();
});

test('on a course page, a lesson by lesson-src and an inline lesson play in embeds; a broken one tells the host', async () => {
  const [, url] = await served.waitFor(/^serving .* at (http:\S+)$/m);
  const host = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course page</title></head><body><main>
<h1>Seqlocks, week 3</h1>
<protocol-explorer id="by-url" loading="eager" lesson-src="${url}"></protocol-explorer>
<protocol-explorer id="inline" loading="eager"><script type="text/x-pex-lesson">
${retitled('Inline seqlock lesson')}
</script></protocol-explorer>
<protocol-explorer id="bad" loading="eager"><script type="text/x-pex-lesson">${broken('Broken')}</script></protocol-explorer>
</main>
<script>
window.events = [];
for (const el of document.querySelectorAll('protocol-explorer'))
  for (const t of ['pex-ready', 'pex-error']) el.addEventListener(t, e => window.events.push({ id: el.id, type: t, message: e.detail.message }));
</script>
<script src="${env.base}embed.js"></script></body></html>`;
  const course = await origin({ '/course.html': [{ 'Content-Type': 'text/html; charset=utf-8' }, host] });
  assert.notEqual(course, new URL(url).origin);
  assert.notEqual(course, new URL(env.base).origin);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(`${course}/course.html`);
  const frame = async id => (await page.$(`#${id}`)).evaluateHandle(el => el.shadowRoot.querySelector('iframe')).then(h => h.asElement().contentFrame());
  await page.waitForFunction(() => window.events.some(e => e.id === 'bad' && e.type === 'pex-error'), null, { timeout: 90000 });
  for (const [id, title] of [['by-url', 'Her seqlock lesson'], ['inline', 'Inline seqlock lesson']]) {
    await page.evaluate(id => document.getElementById(id).scrollIntoView(), id);
    const f = await frame(id);
    assert.equal(await lessonTitle(f), title, id);
    await takeFirstStep(f);
    assert.match(await f.locator('[data-testid=embed-bar]').innerText(), /step 1 of 1/, id);
  }
  const bad = await page.evaluate(() => window.events.filter(e => e.id === 'bad'));
  assert.deepEqual(bad.map(e => e.type), ['pex-ready', 'pex-error'], JSON.stringify(bad));
  assert.match(bad[1].message, /^the lesson in this page: line \d+, column \d+: /);
  const f = await frame('bad');
  assert.match(await f.locator('[data-testid=lesson-problem-excerpt]').innerText(), /title = = "Broken"/);
  assert.deepEqual(await page.evaluate(() => window.events.filter(e => e.type === 'pex-error' && e.id !== 'bad')), []);
  await page.evaluate(() => document.getElementById('inline').scrollIntoView());
  await page.screenshot({ path: join(OUT, 'lesson-inline-embed-1280.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a lesson file chosen in the lessons menu or dropped on the app opens; dropped TLC output and ITF import', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos`);
  assert.match((await page.locator('[data-testid=lesson-picker] option').allInnerTexts()).join('|'), /Open a lesson file…/);
  await page.setInputFiles('[data-testid=lesson-file]', { name: 'mine.toml', mimeType: 'text/plain', buffer: Buffer.from(retitled('My own lesson')) });
  assert.equal(await lessonTitle(page), 'My own lesson');
  await takeFirstStep(page);
  // A file has no address: the link names no lesson, and the lesson stays open.
  await page.waitForFunction(() => !location.hash.includes('lesson'));
  // A broken file changes nothing but says where.
  await page.setInputFiles('[data-testid=lesson-file]', { name: 'oops.toml', mimeType: 'text/plain', buffer: Buffer.from(broken('Oops')) });
  await page.waitForSelector('[data-testid=lesson-problem]');
  assert.match(await text(page, '[data-testid=lesson-problem-message]'), /^oops\.toml: line \d+, column \d+: /);
  assert.equal(await lessonTitle(page), 'My own lesson', 'the open lesson stays');
  await page.click('[data-testid=lesson-problem-close]');
  // Dropped: a lesson, then TLC's output and an ITF trace.
  await drop(page, 'dropped.toml', retitled('A dropped lesson'));
  await page.waitForFunction(() => document.querySelector('[data-testid=lesson-title]')?.innerText.includes('A dropped lesson'));
  await page.click('[data-testid=lesson-close]');
  await drop(page, 'paxos.out', readFileSync(join(here, '../../tests/fixtures/paxos-ignore-accepted.tlc.out'), 'utf8'));
  await page.waitForFunction(() => /step 10 of 10/.test(document.querySelector('[data-testid=step-counter]')?.innerText));
  assert.match(await invariant(page, 'Agreement'), /bad/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-itf]')]);
  const itf = join(OUT, 'dropped.itf.json');
  await download.saveAs(itf);
  await page.click('[data-testid=reset]');
  assert.deepEqual(await stepCounter(page), [0, 0]);
  await drop(page, 'trace.itf.json', readFileSync(itf, 'utf8'));
  await page.waitForFunction(() => /step 10 of 10/.test(document.querySelector('[data-testid=step-counter]')?.innerText));
  assert.match(await invariant(page, 'Agreement'), /bad/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
