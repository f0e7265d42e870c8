// For slides: the view exports as SVG and PNG (what is on screen, styled, in the current theme) and
// the trace as a Markdown table.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, open, pex, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return { name: d.suggestedFilename(), data: readFileSync(await d.path()) };
}

test('the view has a legend, exports as SVG and PNG, and the trace as a Markdown table', async () => {
  const walk = pex('walk', 'paxos', '-c', 'ignore-accepted', '--seed', '3', '--steps', '6', '--json');
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted&seed=3`, { dark: true });
  for (let i = 0; i < 6; i++) await page.click('[data-testid=random-step]');

  // The legend explains the view's marks and its notation.
  assert.ok(await page.locator('[data-testid=legend] .legend-items li').count() >= 5);
  assert.match(await page.locator('[data-testid=notation]').first().innerText(), /<<r, a, p>> is round r, attempt a, proposer p/);

  const svg = await download(page, 'export-svg');
  assert.equal(svg.name, 'paxos-ignore-accepted-step-6.svg');
  const text = svg.data.toString('utf8');
  assert.match(text, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /data-theme="dark"/);
  assert.match(text, /<style>[^<]*--panel/);
  // The same shapes as on screen.
  const ids = await page.locator('[data-testid=view] .view-scroll svg [data-id]').evaluateAll(els => els.map(e => e.getAttribute('data-id')));
  assert.ok(ids.length > 5);
  for (const id of ids) assert.ok(text.includes(`data-id="${id}"`), id);

  const png = await download(page, 'export-png');
  assert.equal(png.name, 'paxos-ignore-accepted-step-6.png');
  assert.deepEqual([...png.data.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  writeFileSync(join(OUT, 'export-paxos-dark.png'), png.data);
  const width = png.data.readUInt32BE(16), height = png.data.readUInt32BE(20);
  assert.ok(width > 400 && height > 200, `${width}x${height}`);

  const md = await download(page, 'export-markdown');
  assert.equal(md.name, 'paxos-ignore-accepted-trace.md');
  const rows = md.data.toString('utf8').split('\n').filter(l => /^\| \d+ \|/.test(l));
  assert.equal(rows.length, 7);
  assert.deepEqual(rows.slice(1).map(r => r.split('|')[2].trim().replace(/`/g, '')), walk.trace.slice(1).map(s => s.action));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
