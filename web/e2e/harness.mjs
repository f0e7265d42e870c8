// Shared set-up for the browser tests: serve the release build under its public URL with Python's
// http.server, drive Debian's Chromium with playwright-core, and collect console errors.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(process.env.PEX_DIST || join(here, '../../dist'));
/** The same site built with the test hooks (PEX_TEST_HOOKS set: window.__pexRenders,
 * __pexCrashWorker, __pexHangWorker), which users' builds leave out; for the tests that need them. */
export const HOOKS_DIST = resolve(process.env.PEX_HOOKS_DIST || join(here, '../../target/dist-test-hooks'));
export const PUBLIC_URL = process.env.PEX_PUBLIC_URL || '/protocol-explorer/';
export const PEX = resolve(process.env.PEX_BIN || join(here, '../../target/release/pex'));
export const OUT = join(here, 'out');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

async function waitForServer(url, ms = 10000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not come up`);
}

/** Serves dist/ (or, with hooks, the test-hooks build) at PUBLIC_URL and launches Chromium.
 * Returns { base, browser, stop }. */
export async function start({ hooks = false } = {}) {
  const dist = hooks ? HOOKS_DIST : DIST;
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(hooks
      ? `no test-hooks build at ${dist}: PEX_TEST_HOOKS=1 trunk build --release --dist ${dist} --public-url ${PUBLIC_URL}`
      : `no build at ${dist}: run trunk build --release first`);
  }
  mkdirSync(OUT, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'pex-site-'));
  const segments = PUBLIC_URL.split('/').filter(Boolean);
  let dir = root;
  for (const s of segments.slice(0, -1)) { dir = join(dir, s); mkdirSync(dir); }
  symlinkSync(dist, join(dir, segments[segments.length - 1]));
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', root, String(port)], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}${PUBLIC_URL}`;
  await waitForServer(base);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  return {
    base,
    browser,
    async stop() { await browser.close(); server.kill(); },
  };
}

/** A fresh page; console errors and page errors are collected in page.errors. */
export async function open(browser, url, { width = 1280, height = 900, dark = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light', acceptDownloads: true });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', m => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', e => page.errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid=view]');
  return page;
}

/** Runs the native CLI and parses its JSON (exit 1, "a property failed", and exit 4, "ok only under a
 * symmetry the audit found unsound", are normal answers). */
export function pex(...args) {
  const r = spawnSync(PEX, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1 && r.status !== 4) throw new Error(`pex ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export const text = (page, sel) => page.locator(sel).innerText();

/** The step counter says "step C of N"; returns [C, N]. */
/** Clicks Pause (the play button while it plays) and returns the step counter's text as it was
 * when the click reached the page, read in a capture listener that runs before the app's own. */
export async function pauseAndReadShown(page) {
  await page.evaluate(() => {
    window.__shownAtPause = null;
    addEventListener('click', e => {
      if (e.target.closest('[data-testid=play]')) window.__shownAtPause = document.querySelector('[data-testid=step-counter]').textContent;
    }, { capture: true, once: true });
  });
  await page.click('[data-testid=play]');
  return (await page.evaluate(() => window.__shownAtPause))?.trim();
}

export async function stepCounter(page) {
  const t = await text(page, '[data-testid=step-counter]');
  const m = t.match(/step (\d+) of (\d+)/);
  return [Number(m[1]), Number(m[2])];
}

/** The whole trace's action labels, from the trace file "Export" downloads (the timeline draws
 * only a window of chips around the current step). */
export async function traceLabels(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(await download.path(), 'utf8')).actions;
}

/** Action labels of the timeline chips, in order (without the initial "Init"). */
export async function timelineLabels(page) {
  const items = await page.locator('[data-testid=timeline] li[data-step] button').allInnerTexts();
  return items.map(t => t.replace(/^\d+/, '').trim()).filter(l => l !== 'Init');
}

export async function invariant(page, name) {
  return page.locator(`[data-prop="${name}"]`).getAttribute('class');
}
