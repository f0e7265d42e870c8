// The view panel's three ways of drawing a state: the model's own picture, the generic
// "Variables" view (every model has it; a model with no drawing code has only it) and the state
// graph (the whole reachable graph of a small space, with the trace's path, the current state, a
// counterexample and a lasso's loop marked; a click on a node makes the trace a shortest path to it).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

const SMALL_SEQLOCK = 'v=1&m=seqlock&c=no-verify&k.MaxSeq=2&k.NumReaders=1&k.RingSize=1';

test('the Variables view draws every variable of a built-in model and marks what a step changed', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=seqlock&c=safe`);
  assert.match(await page.getAttribute('[data-testid=view-tab-picture]', 'aria-selected'), /true/);
  await page.click('[data-testid=view-tab-variables]');
  assert.match(await text(page, '[data-testid=view] h2'), /^Variables/i);
  const vars = ['ring', 'cursor', 'writerPC', 'writerSeq', 'readerPC', 'readerCursor', 'readStamp1', 'readValue', 'readStamp2', 'readResult'];
  for (const v of vars) assert.equal(await page.locator(`[data-testid=view] g[data-id="var-${v}"]`).count(), 1, v);
  assert.equal(await page.locator('[data-testid=view] g[data-id^="var-"][class~="changed"]').count(), 0);
  await page.click('[data-testid=actions] button:has-text("WriterBegin")');
  const changed = await page.locator('[data-testid=view] g[data-id^="var-"].changed').evaluateAll(gs => gs.map(g => g.dataset.id));
  assert.ok(changed.includes('var-ring') && changed.includes('var-writerPC'), changed.join(' '));
  assert.ok(!changed.includes('var-cursor'), changed.join(' '));
  assert.ok(await page.locator('[data-testid=legend]').count() >= 1);
  // The mode stays while stepping; the picture comes back with its tab.
  await page.click('[data-testid=view-tab-picture]');
  assert.equal(await page.locator('[data-testid=view] g[data-id="var-ring"]').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the state graph: every state of a small space, a click makes the trace a shortest path, the counterexample is marked', async () => {
  const page = await open(env.browser, `${env.base}#${SMALL_SEQLOCK}`);
  await page.click('[data-testid=view-tab-graph]');
  await page.waitForSelector('[data-testid=state-graph] svg');
  const graph = pex('graph', 'seqlock', '--config', 'no-verify', '--const', 'MaxSeq=2', '--const', 'NumReaders=1', '--const', 'RingSize=1', '--format', 'json');
  const check = pex('check', 'seqlock', '--config', 'no-verify', '--const', 'MaxSeq=2', '--const', 'NumReaders=1', '--const', 'RingSize=1', '--json');
  const nodes = await page.locator('[data-testid=state-graph] g[data-id^="gnode-"]').count();
  assert.equal(nodes, graph.nodes.length);
  assert.match(await text(page, '[data-testid=graph-summary]'), new RegExp(`Every reachable state: ${graph.nodes.length} states`));
  assert.match(await page.getAttribute('[data-testid=state-graph] g[data-id="gnode-0"]', 'class'), /current/);
  // A state where NoTornRead fails: the one the check's counterexample ends in is as deep as its trace.
  const depth = check.trace.length - 1;
  const failing = await page.locator('[data-testid=state-graph] g[data-id^="gnode-"].failing').evaluateAll(gs => gs.map(g => Number(g.dataset.id.slice(6))));
  assert.ok(failing.length > 0);
  const target = failing.map(id => graph.nodes.find(n => n.id === id)).sort((a, b) => a.depth - b.depth)[0];
  assert.equal(target.depth, depth, 'the shallowest failing state is as deep as the shortest counterexample');
  await page.click(`[data-testid=state-graph] g[data-id="gnode-${target.id}"]`);
  assert.deepEqual(await stepCounter(page), [depth, depth]);
  assert.match(await page.getAttribute(`[data-testid=state-graph] g[data-id="gnode-${target.id}"]`, 'class'), /current/);
  assert.ok((await page.locator('[data-testid=state-graph] g[data-id^="gnode-"].path').count()) >= depth);
  assert.match(await page.getAttribute('[data-prop=NoTornRead]', 'class'), /bad|fail/);
  // The path's edges are drawn as a counterexample's.
  assert.ok((await page.locator('[data-testid=state-graph] [class~="counterexample"]').count()) > 0);
  for (const width of [390, 768, 1280]) {
    for (const dark of [false, true]) {
      const p = await open(env.browser, `${env.base}#${SMALL_SEQLOCK}`, { width, dark });
      await p.click('[data-testid=view-tab-graph]');
      await p.waitForSelector('[data-testid=state-graph] svg');
      await p.locator('[data-testid=view]').screenshot({ path: join(OUT, `views-graph-${width}-${dark ? 'dark' : 'light'}.png`) });
      await p.click('[data-testid=view-tab-variables]');
      await p.locator('[data-testid=view]').screenshot({ path: join(OUT, `views-variables-${width}-${dark ? 'dark' : 'light'}.png`) });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page overflows by ${overflow}px at ${width}px`);
      assert.deepEqual(p.errors, []);
      await p.context().close();
    }
  }
  assert.deepEqual(page.errors, []);
});

test('the state graph marks a lasso\'s loop (occ termination-unfair)', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=occ&c=termination-unfair`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-result]', { timeout: 120000 });
  await page.waitForSelector('[data-testid=repeat-banner]');
  await page.click('[data-testid=view-tab-graph]');
  await page.waitForSelector('[data-testid=state-graph] svg');
  const looped = await page.locator('[data-testid=state-graph] g[data-id^="gnode-"].loop').count();
  assert.ok(looped >= 1, 'no node of the loop is marked');
  await page.locator('[data-testid=view]').screenshot({ path: join(OUT, 'views-graph-lasso-1280.png') });
  assert.deepEqual(page.errors, []);
});
