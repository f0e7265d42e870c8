// Browser benchmark: which panels render during a check, step-to-paint time, random-play
// throughput, the in-browser checker beside the native one, and the gzipped size of the wasm files.
// Prints figures; asserts nothing.
//
//   (cd web && PEX_DIST=../dist PEX_PUBLIC_URL=/protocol-explorer/ node e2e/bench.mjs [model config])
//
// PEX_BENCH_ONLY=renders runs the first section alone; PEX_BENCH_ONLY=paint stops after step-to-paint;
// PEX_BENCH_ONLY=docs runs the docs section (a book page with five embeds) alone; it needs the
// book in dist/docs/ (scripts/site.sh). PEX_BENCH_MODELS=crdt,gossip limits the step-to-paint and
// click-after-play sections to those models.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { start, open, pex, DIST } from './harness.mjs';

const [model = 'seqlock', config = 'safe'] = process.argv.slice(2);
const env = await start();
const fmt = (x, d = 1) => x.toFixed(d);
// Steps per model in the step-to-paint section: with 200, p95 is the tenth-worst step, not one GC pause.
const STEPS = Number(process.env.PEX_BENCH_STEPS || 200);
const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const pct = (a, p) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];

// 5. A docs page with five embeds (the book's five-gaps.html), in a fresh context (empty cache),
//    at 1280 x 900. What the page itself costs before any explorer is there (its own requests,
//    its first paint, with the embeds still posters), then what five explorers cost once each is
//    scrolled into view and ready. Requests are attributed through the DevTools protocol: the
//    frames are on the page's origin, so in its own process, and each request names its frame;
//    bytes are encoded (what came over the wire, headers included; python's http.server
//    compresses nothing). The embeds near the first screen (within the element's 200 px margin)
//    start loading at once, so the page's own figures are its main frame's, not a moment in time.
async function docsBench() {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    window.events = [];
    document.addEventListener('pex-ready', e => window.events.push({ index: [...document.querySelectorAll('protocol-explorer')].indexOf(e.target), at: performance.now() }), true);
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', e => requests.set(e.requestId, { frame: e.frameId, url: e.request.url, bytes: 0, cached: false }));
  cdp.on('Network.requestServedFromCache', e => { const r = requests.get(e.requestId); if (r) r.cached = true; });
  cdp.on('Network.loadingFinished', e => { const r = requests.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  const sum = rs => rs.reduce((n, r) => n + r.bytes, 0);
  const kib = b => `${fmt(b / 1024)} KiB`;
  await page.goto(`${env.base}docs/five-gaps.html`, { waitUntil: 'load' });
  const mainId = (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
  const atLoad = await page.evaluate(() => ({
    paint: Object.fromEntries(performance.getEntriesByType('paint').map(p => [p.name, p.startTime])),
    load: performance.getEntriesByType('navigation')[0]?.loadEventStart,
    posters: [...document.querySelectorAll('protocol-explorer')].filter(e => e.shadowRoot?.querySelector('.poster')).length,
  }));
  // Every request of the page's own frame, now and later (its requests end with its load).
  await page.waitForTimeout(500);
  const own = [...requests.values()].filter(r => r.frame === mainId);
  console.log(`docs page with five embeds (1280 x 900), the page itself: ${kib(sum(own))} over the wire in ${own.length} requests (document, book styles and scripts, fonts, embed.js); first contentful paint ${fmt(atLoad.paint['first-contentful-paint'] ?? NaN, 0)} ms, load event ${fmt(atLoad.load ?? NaN, 0)} ms; at the load event ${atLoad.posters} of 5 embeds were posters (the first screen's embeds start at once)`);
  // The embeds near the first screen, ready without scrolling.
  const firstScreen = await page.evaluate(() => window.events.length);
  const t1 = Date.now();
  const tScroll = await page.evaluate(() => performance.now());
  for (let i = 0; i < 5; i++) {
    await page.evaluate(i => document.querySelectorAll('protocol-explorer')[i].scrollIntoView({ block: 'center' }), i);
    await page.waitForFunction(i => window.events.some(e => e.index === i), i, { timeout: 120000 });
  }
  const allReady = (Date.now() - t1) / 1000;
  const ready = await page.evaluate(() => window.events.map(e => e.at).sort((a, b) => a - b));
  const frames = [...requests.values()].filter(r => r.frame !== mainId);
  const wasm = frames.filter(r => r.url.endsWith('_bg.wasm'));
  const framePaints = [];
  for (const f of page.frames().filter(f => f !== page.mainFrame())) {
    framePaints.push(await f.evaluate(() => performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint')?.startTime ?? NaN));
  }
  console.log(`docs page with five embeds, all five ready: the first pex-ready ${fmt(ready[0], 0)} ms after navigation start (${firstScreen} ready before any scroll), the fifth ${fmt(ready[4], 0)} ms (${fmt(allReady, 2)} s after the first scroll at ${fmt(tScroll, 0)} ms); the five frames' requests ${kib(sum(frames))} over the wire in ${frames.length} requests (page and frames ${kib(sum([...requests.values()]))}); *_bg.wasm requested ${wasm.length} times, ${wasm.filter(r => !r.cached && r.bytes > 100000).length} downloaded in full (${wasm.map(r => kib(r.bytes)).join(', ')}); each frame's first contentful paint after its own navigation ${framePaints.map(t => fmt(t, 0)).join(', ')} ms (in the order the frames were made)`);
  await context.close();
}

try {
  if (process.env.PEX_BENCH_ONLY === 'docs') {
    await docsBench();
    await env.stop();
    process.exit(0);
  }
  // 0. Renders during a check: start a long check (Paxos, five acceptors, three values), let its
  //    progress messages arrive for 2 s and count the renders of each panel meanwhile
  //    (window.__pexRenders, kept by src/ui/panels.rs). Only the check panel should render.
  {
    const big = '#v=1&m=paxos&c=safe&k.Acceptors=%7B1%2C%202%2C%203%2C%204%2C%205%7D&k.Values=%7Bv1%2C%20v2%2C%20v3%7D';
    const page = await open(env.browser, `${env.base}${big}`);
    await page.click('[data-testid=check-run]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=check-distinct]')?.innerText || 0) > 0, null, { timeout: 60000 });
    const counts = () => page.evaluate(() => window.__pexRenders && { ...window.__pexRenders });
    const before = await counts();
    if (!before) console.log('renders during a check: not counted (this build has no test hooks; PEX_DIST=$PEX_HOOKS_DIST counts them)');
    await page.waitForTimeout(2000);
    const after = await counts();
    await page.click('[data-testid=check-cancel]');
    if (before) {
      const delta = Object.keys(after).sort().map(k => `${k} ${after[k] - (before[k] || 0)}`).join(', ');
      console.log(`renders during 2 s of a running check (paxos safe, 5 acceptors, 3 values): ${delta}`);
    }
    await page.context().close();
    if (process.env.PEX_BENCH_ONLY === 'renders') {
      await env.stop();
      process.exit(0);
    }
  }
  const only = process.env.PEX_BENCH_MODELS?.split(',').filter(Boolean);
  const catalogue = pex('list', '--json').map(m => m.name).filter(m => !only || only.includes(m));

  // 1. Step to paint: click "Random step"; time until the DOM shows the new step (our work: the
  //    step, the view, the panels), and the work before paint: that plus the next frame's
  //    callbacks and layout (the figure the target "step-to-paint p95 <= 8 ms" is about).
  //    Every model, at 1280 px, PEX_BENCH_STEPS steps each (200); PEX_BENCH_ONLY=paint stops after this section.
  for (const model of catalogue) {
    let page = await open(env.browser, `${env.base}#v=1&m=${model}&c=safe&seed=11`);
    const times = await page.evaluate(async STEPS => {
      const button = document.querySelector('[data-testid=random-step]');
      const counter = document.querySelector('[data-testid=step-counter]');
      const dom = [], frame = [], work = [];
      for (let i = 0; i < STEPS; i++) {
        // A model whose walk ends (no action enabled) starts over from the initial state.
        if (!document.querySelector('[data-testid=actions] button.action:not([disabled])')) {
          document.querySelector('[data-testid=reset]').click();
          await new Promise(r => setTimeout(r, 50));
        }
        const before = counter.textContent;
        const t0 = performance.now();
        const updated = new Promise(r => {
          const o = new MutationObserver(() => { if (counter.textContent !== before) { o.disconnect(); r(performance.now()); } });
          o.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => { o.disconnect(); r(NaN); }, 3000);
        });
        button.click();
        const t = (await updated) - t0;
        if (Number.isNaN(t)) continue;
        dom.push(t);
        // The frame: it starts at the callbacks' timestamp; the app's own frame callbacks run
        // before this one, and forcing layout here finishes what the browser must do before painting. The work
        // before paint is the DOM update plus that frame work, without the idle wait for vsync.
        const raf = await new Promise(r => requestAnimationFrame(s => { void document.body.offsetHeight; r([Math.max(s, t0 + t), performance.now()]); }));
        frame.push(raf[1] - t0);
        work.push(t + (raf[1] - raf[0]));
        await new Promise(r => setTimeout(r, 20));
      }
      return { dom, frame, work };
    }, STEPS);
    console.log(`step to paint (${model}, ${times.dom.length} random steps): work before paint median ${fmt(median(times.work))} ms (p95 ${fmt(pct(times.work, 0.95))}); DOM updated median ${fmt(median(times.dom))} ms (p95 ${fmt(pct(times.dom, 0.95))}); laid out in the next frame median ${fmt(median(times.frame))} ms (p95 ${fmt(pct(times.frame, 0.95))}, includes the wait for vsync)`);
    await page.context().close();
  }

  // 1b. Long sessions: play each model at full speed for PEX_PLAY_SECONDS (60 by default), pause,
  //     then time clicks (back, forward, a timeline step) from the click to the DOM update.
  const playSeconds = Number(process.env.PEX_PLAY_SECONDS || 60);
  if (process.env.PEX_BENCH_ONLY === 'paint') {
    await env.stop();
    process.exit(0);
  }
  const models = catalogue;
  for (const model of models) {
    const page = await open(env.browser, `${env.base}#v=1&m=${model}&c=safe&seed=7`);
    await page.locator('[data-testid=stop-at-violation]').uncheck();
    await page.locator('[data-testid=speed]').fill('9');
    await page.click('[data-testid=play]');
    await page.waitForTimeout(playSeconds * 1000);
    if (/Pause/.test(await page.locator('[data-testid=play]').innerText())) await page.click('[data-testid=play]');
    await page.waitForTimeout(500);
    const times = await page.evaluate(async () => {
      const counter = document.querySelector('[data-testid=step-counter]');
      const click = async (selector) => {
        const before = counter.textContent;
        const t0 = performance.now();
        const updated = new Promise(r => {
          const o = new MutationObserver(() => { if (counter.textContent !== before) { o.disconnect(); r(performance.now()); } });
          o.observe(document.body, { subtree: true, childList: true, characterData: true });
          setTimeout(() => { o.disconnect(); r(NaN); }, 5000);
        });
        document.querySelector(selector).click();
        const t = (await updated) - t0;
        await new Promise(r => setTimeout(r, 200));
        return t;
      };
      const out = [];
      for (let i = 0; i < 20; i++) {
        out.push(await click('[data-testid=back]'));
        out.push(await click('[data-testid=forward]'));
        out.push(await click('[data-testid=timeline] li.step:first-child button'));
        out.push(await click('[data-testid=forward]'));
      }
      return out.filter(t => !Number.isNaN(t));
    });
    const steps = Number((await page.locator('[data-testid=step-counter]').innerText()).match(/of (\d+)/)[1]);
    console.log(`click after ${playSeconds} s of play (${model}, ${steps} steps): median ${fmt(median(times))} ms, p95 ${fmt(pct(times, 0.95))} ms over ${times.length} clicks (target p95 <= 50 ms)`);
    await page.context().close();
  }

  // 2. Random play at full speed for 1.5 seconds (the trace is capped at 200,000 steps).
  let page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe&seed=3`);
  await page.locator('[data-testid=speed]').fill('9');
  await page.click('[data-testid=play]');
  const t0play = Date.now();
  await page.waitForTimeout(1500);
  await page.click('[data-testid=play]');
  const playSecs = (Date.now() - t0play) / 1000;
  const steps = Number((await page.locator('[data-testid=step-counter]').innerText()).match(/of (\d+)/)[1]);
  console.log(`random play at full speed: ${steps} steps in ${fmt(playSecs, 2)} s = ${fmt(steps / playSecs, 0)} steps/s (rendering included)`);
  await page.context().close();

  // 3. The checker in a worker, beside the native one.
  page = await open(env.browser, `${env.base}#v=1&m=${model}&c=${config}`);
  const t0 = Date.now();
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 30 * 60 * 1000 });
  const wall = (Date.now() - t0) / 1000;
  const figures = await page.locator('[data-testid=check-figures]').innerText();
  const distinct = Number(await page.locator('[data-testid=check-distinct]').innerText());
  const secs = Number(figures.match(/time\s+([\d.]+) s/)[1]);
  const memory = (await page.locator('[data-testid=check-figures] ~ p').innerText()).match(/worker memory (\d+) MiB/);
  const native = pex('check', model, '--config', config, '--json');
  console.log(`checker ${model}/${config}: browser (one worker) ${distinct} distinct in ${fmt(secs, 3)} s (${fmt(distinct / secs, 0)} states/s; ${fmt(wall, 2)} s from click to result); native ${native.distinct} in ${fmt(native.seconds, 3)} s (${fmt(native.distinct / native.seconds, 0)} states/s); browser/native time ${fmt(secs / native.seconds, 2)}x; worker wasm memory ${memory ? memory[1] : '?'} MiB, native peak ${fmt(native.peak_memory_bytes / 1048576, 1)} MiB`);
  await page.context().close();

  // 4. Download size.
  for (const f of readdirSync(DIST).filter(f => f.endsWith('.wasm') || f.endsWith('.js'))) {
    const bytes = readFileSync(join(DIST, f));
    console.log(`${f}: ${fmt(statSync(join(DIST, f)).size / 1024)} KiB, gzipped ${fmt(gzipSync(bytes, { level: 9 }).length / 1024)} KiB`);
  }

  // 5. The docs page with five embeds (see docsBench above).
  await docsBench();
} finally {
  await env.stop();
}
