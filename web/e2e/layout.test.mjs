// Phone and tablet widths (320, 390, 768 px), as a student on a phone sees the site: no page is
// wider than its window (the app on every model, an embed inside a host page with the properties
// and the action list, the book's gallery and a model page); a drawing wider than the screen
// scrolls inside its own region, never the page. In a lesson, after "Take it", the caption and the
// drawing are both on the screen, with the marks the step highlights in view.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { start, open } from './harness.mjs';

let env, host;
const WIDTHS = [320, 390, 768];
const MODELS = ['seqlock', 'paxos', 'crdt', 'gossip', 'ebpf-ring', 'hlc', 'occ', 'mvcc', 'routes', 'composed', 'persistence', 'anti-entropy'];

before(async () => {
  env = await start();
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Course</title>
<style>body{margin:0 auto;padding:0 16px;max-width:720px;font:16px/1.5 system-ui}</style></head><body><main><h1>Paxos, week 2</h1>
<p>Prose before.</p>
<protocol-explorer id="paxos" model="paxos" config="ignore-accepted" props actions loading="eager"></protocol-explorer>
<protocol-explorer id="crdt" model="crdt" props loading="eager"></protocol-explorer>
<p>Prose after.</p></main>
<script>window.ready = 0; document.addEventListener('pex-ready', () => window.ready++, true);</script>
<script src="${env.base}embed.js"></script></body></html>`;
  host = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(page); });
  await new Promise(ok => host.listen(0, '127.0.0.1', ok));
});
after(async () => { host?.close(); await env?.stop(); });

/** How far a document is wider than its window, and the widest offenders (for the message). */
const overflow = where => where.evaluate(() => {
  const over = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  // Elements sticking out of the window that are not inside a scrolling region of their own.
  const inScroller = e => { for (let p = e.parentElement; p; p = p.parentElement) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  const out = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !inScroller(e)).slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className?.baseVal ?? e.className}`);
  return { over, out };
});

test('the app is never wider than a phone or tablet window, on any model', async () => {
  for (const width of WIDTHS) {
    for (const m of MODELS) {
      const page = await open(env.browser, `${env.base}#v=1&m=${m}`, { width, height: 800 });
      const { over, out } = await overflow(page);
      assert.ok(over <= 0 && out.length === 0, `${m} at ${width} px: the page is ${over} px wider than the window (${out.join(', ')})`);
      await page.context().close();
    }
  }
});

test('an embed fits its frame on a phone, with the properties and the actions', async () => {
  for (const width of WIDTHS) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${host.address().port}/`);
    await page.waitForFunction(() => window.ready === 2, null, { timeout: 90000 });
    assert.ok((await overflow(page)).over <= 0, `the host page at ${width} px`);
    for (const id of ['paxos', 'crdt']) {
      await page.evaluate(id => document.getElementById(id).scrollIntoView(), id);
      const frame = await (await page.$(`#${id}`)).evaluateHandle(el => el.shadowRoot.querySelector('iframe')).then(h => h.asElement().contentFrame());
      await frame.waitForSelector('[data-testid=view] svg');
      const { over, out } = await overflow(frame);
      assert.ok(over <= 0 && out.length === 0, `${id} embed at ${width} px: ${over} px wider than its frame (${out.join(', ')})`);
    }
    await context.close();
  }
});

test('the book\'s gallery and a model page fit a phone', async () => {
  for (const width of WIDTHS) {
    for (const path of ['docs/index.html', 'docs/paxos.html', 'docs/write-a-lesson.html']) {
      const context = await env.browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${env.base}${path}`);
      await page.waitForSelector('main');
      const { over, out } = await overflow(page);
      assert.ok(over <= 0 && out.length === 0, `${path} at ${width} px: ${over} px wider than the window (${out.join(', ')})`);
      await context.close();
    }
  }
});

test('in a lesson on a phone, "Take it" leaves the caption and the drawing on the screen', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&lesson=seqlock`, { width: 390, height: 844 });
  await page.click('[data-testid=lesson-next]');
  for (let i = 0; i < 3; i++) {
    await page.click('[data-testid=lesson-take]');
    await page.waitForSelector('[data-testid=lesson-caption]');
    await page.waitForTimeout(200);
    const seen = await page.evaluate(() => {
      const on = r => r.bottom > 0 && r.top < innerHeight;
      const caption = document.querySelector('[data-testid=lesson-caption]').getBoundingClientRect();
      const drawing = document.querySelector('[data-testid=view] .view-svg').getBoundingClientRect();
      const marks = [...document.querySelectorAll('[data-testid=view] .view-svg .lesson-highlight')].map(m => m.getBoundingClientRect());
      return { caption: on(caption), drawing: on(drawing), marks: marks.map(m => m.left >= -1 && m.right <= innerWidth + 1 && on(m)) };
    });
    assert.ok(seen.caption && seen.drawing, `step ${i + 1}: caption on screen ${seen.caption}, drawing on screen ${seen.drawing}`);
    // The first mark the step highlights is brought into view (marks far apart cannot all be on
    // a 390 px screen at a readable scale; the drawing scrolls to the others).
    assert.ok(seen.marks.length === 0 || seen.marks[0], `step ${i + 1}: the first highlighted mark is in view ${JSON.stringify(seen.marks)}`);
    await page.click('[data-testid=lesson-next]');
  }
  await page.context().close();
});

// Drawings re-lay out for a phone (src/explorer/draw.rs `Layout`): at 320 and 390 px the views
// that have a narrow layout are shown whole, without sideways scrolling, at a scale that keeps
// their 11 px text at 9 px or more, with the mark that matters on the screen: seqlock's torn
// result and paxos's "◀ ignored".
const TORN = ['WriterBegin', 'WriterData', 'WriterFinish', 'ReaderLoadStamp1(1)', 'WriterBegin', 'WriterData',
  'WriterFinish', 'WriterBegin', 'WriterData', 'ReaderLoadValue(1)', 'ReaderVerify(1)'];

/** The drawing's fit in its scroller: overflow, the scale its text is shown at, and where a mark is. */
const fit = (page, mark) => page.evaluate(mark => {
  const scroller = document.querySelector('[data-testid=view] .view-scroll');
  const svg = scroller.querySelector('.view-svg');
  const box = scroller.getBoundingClientRect();
  const m = mark && svg.querySelector(`[data-id="${mark}"]`)?.getBoundingClientRect();
  return {
    scroll: scroller.scrollWidth, client: scroller.clientWidth,
    scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
    mark: m ? { inside: m.left >= box.left - 1 && m.right <= box.right + 1, left: Math.round(m.left), right: Math.round(m.right) } : null,
    box: { left: Math.round(box.left), right: Math.round(box.right) },
  };
}, mark);

const fits = (f, what) => {
  assert.ok(f.scroll <= f.client + 1, `${what}: the drawing is ${f.scroll} px wide in a ${f.client} px scroller (it scrolls sideways)`);
  assert.ok(f.scale * 11 >= 9 - 0.01, `${what}: its 11 px text is shown at ${(f.scale * 11).toFixed(1)} px`);
};

test('on a phone, seqlock\'s drawing re-lays out: whole, readable, the torn result on screen', async () => {
  for (const width of [320, 390]) {
    const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=no-verify`, { width, height: 800 });
    fits(await fit(page), `seqlock at ${width} px, initial state`);
    for (const a of TORN) await page.click(`[data-testid=actions] [data-action="${a}"]`);
    await page.waitForFunction(() => /TORN/.test(document.querySelector('[data-testid=view] [data-id=r1-result]')?.textContent ?? ''));
    const f = await fit(page, 'r1-result');
    fits(f, `seqlock at ${width} px, torn read`);
    assert.ok(f.mark?.inside, `seqlock at ${width} px: the TORN result at ${JSON.stringify(f.mark)} is outside the drawing's box ${JSON.stringify(f.box)}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('on a phone, paxos\'s ballots re-lay out: whole, readable, "◀ ignored" on screen', async () => {
  for (const width of [320, 390]) {
    const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted`, { width, height: 800 });
    fits(await fit(page), `paxos at ${width} px, initial state`);
    await page.click('[data-testid=check-run]');
    await page.waitForSelector('[data-testid=check-cause]', { timeout: 120000 });
    await page.click('[data-testid=check-cause]');
    await page.waitForSelector('[data-testid=view] [data-id^=ignored-]');
    const id = await page.locator('[data-testid=view] [data-id^=ignored-]').first().getAttribute('data-id');
    const f = await fit(page, id);
    fits(f, `paxos at ${width} px, the ignored value rule`);
    assert.ok(f.mark?.inside, `paxos at ${width} px: ${id} at ${JSON.stringify(f.mark)} is outside the drawing's box ${JSON.stringify(f.box)}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
