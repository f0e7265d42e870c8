// Phone cold-load benchmark (a figure, not an assertion): a student opens the app for the first
// time on a phone. A 390 x 844 viewport, an empty cache, the network throttled to 9 Mbit/s with
// 150 ms of latency per request (Chromium's own throttling, as DevTools applies it), the CPU slowed
// 4x. Timed from the navigation's start to the first moment an action of the model can be clicked
// (an enabled button in the action list: the wasm has rendered the app, so it answers a click).
// Chromium's CPU throttling slows the page's threads; V8 compiles wasm on background threads too,
// which it may not slow, so a real phone's compile can take longer than this figure shows.
//
//   (cd web && PEX_DIST=../dist PEX_PUBLIC_URL=/protocol-explorer/ node e2e/bench-phone.mjs [runs])
//
// The files are served the way a static host that honours precompressed files serves them:
// NAME.br when the browser accepts br, else NAME.gz, else NAME (scripts/precompress.mjs writes
// them; python's http.server, which the tests use, compresses nothing). The figure names the
// encoding the wasm arrived in, since Chromium offers br only on some origins.

import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { DIST, PUBLIC_URL, CHROMIUM_ARGS } from './harness.mjs';

const RUNS = Number(process.argv[2] || 5);
const MBIT = 9;
const LATENCY_MS = 150;
const CPU_SLOWDOWN = 4;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
  '.woff2': 'font/woff2', '.toml': 'text/plain; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/** A static host under PUBLIC_URL that serves precompressed copies when the browser accepts them. */
function serve() {
  const served = [];
  const host = { allow: ['br', 'gzip'] };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(PUBLIC_URL)) { res.writeHead(404).end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(PUBLIC_URL.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    const accepts = (req.headers['accept-encoding'] || '').split(',').map(s => s.trim().split(';')[0]).filter(e => host.allow.includes(e));
    const encoding = accepts.includes('br') && existsSync(`${file}.br`) ? 'br' : accepts.includes('gzip') && existsSync(`${file}.gz`) ? 'gzip' : null;
    const body = readFileSync(encoding === 'br' ? `${file}.br` : encoding === 'gzip' ? `${file}.gz` : file);
    const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache' };
    if (encoding) { headers['content-encoding'] = encoding; headers.vary = 'accept-encoding'; }
    served.push({ path: rel, encoding: encoding || 'identity', bytes: body.length });
    res.writeHead(200, headers).end(body);
  });
  return new Promise(ok => server.listen(0, '127.0.0.1', () => ok({ server, served, host, base: `http://127.0.0.1:${server.address().port}${PUBLIC_URL}` })));
}

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const kib = n => `${(n / 1024).toFixed(0)} KiB`;

if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no build at ${DIST}`);
const { server, served, host, base } = await serve();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
const results = [];
try {
  // A host that serves brotli, one that serves gzip only, one that compresses nothing
  // (python's http.server: the issue's 3.45 s was measured that way).
  for (const allow of [['br', 'gzip'], ['gzip'], []]) {
  host.allow = allow;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    served.length = 0;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const bytesPerSecond = MBIT * 1e6 / 8;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${base}#model=paxos`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-testid=actions] button:not([disabled])', { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const wasm = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.wasm')).map(r => ({ name: r.name.split('/').pop(), end: r.responseEnd }));
      return { clickable: performance.now() - nav.startTime, fcp: fcp ? fcp.startTime : NaN, wasm };
    });
    const atClickable = [...served];
    runs.push({ ...t, served: atClickable });
    await context.close();
  }
  results.push({ allow, runs });
  }
} finally {
  await browser.close();
  server.close();
}

for (const { allow, runs } of results) {
  const clickable = runs.map(r => r.clickable);
  const last = runs[runs.length - 1];
  const wasmServed = last.served.filter(s => s.path.endsWith('.wasm'));
  const appWasm = last.wasm.find(w => w.name.startsWith('app-'));
  console.log(`phone cold load (390 x 844, ${MBIT} Mbit/s, ${LATENCY_MS} ms latency per request, ${CPU_SLOWDOWN}x CPU slowdown, empty cache, paxos; a host serving ${allow.length ? allow.join(' or ') : 'nothing compressed'}): an action clickable after median ${(median(clickable) / 1000).toFixed(2)} s over ${RUNS} loads (${clickable.map(c => (c / 1000).toFixed(2)).join(', ')} s; target <= 2.0 s); first contentful paint median ${(median(runs.map(r => r.fcp)) / 1000).toFixed(2)} s; the page's wasm arrived at ${appWasm ? (appWasm.end / 1000).toFixed(2) : '?'} s in the last load`);
  console.log(`  requested before the first action was clickable: ${last.served.length} files, ${kib(last.served.reduce((n, s) => n + s.bytes, 0))} over the wire; wasm: ${wasmServed.map(s => `${s.path} ${kib(s.bytes)} (${s.encoding})`).join(', ')}`);
}
