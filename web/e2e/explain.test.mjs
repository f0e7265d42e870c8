// Why, not only where: the paxos gap's failure links to the step where the value rule was ignored
// (from the check result, the invariants panel and the failing step's caption); definitions open on
// demand; every action says what it does.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, open, pex, text, stepCounter, OUT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.stop(); });

test('paxos ignore-accepted: the failure links to the step where the value rule was ignored; a definition opens', async () => {
  const page = await open(env.browser, `${env.base}#v=1&m=paxos&c=ignore-accepted`);
  await page.click('[data-testid=check-run]');
  await page.waitForSelector('[data-testid=check-cause]', { timeout: 120000 });
  const native = pex('check', 'paxos', '--config', 'ignore-accepted', '--json');
  const last = native.trace.length - 1;
  // At the failing step the caption says why, with the same link.
  assert.match(await text(page, '[data-testid=caption-why]'), /Why Agreement fails here:\s+Caused at step \d+: Accept\(/);
  assert.match(await text(page, '[data-testid=invariants] [data-prop=Agreement] [data-testid=causes]'), /It reads what these steps last wrote: learned at step \d+/);
  await page.screenshot({ path: join(OUT, 'explain-paxos-1280.png'), fullPage: true });
  const cause = await text(page, '[data-testid=check-cause]');
  const k = Number(cause.match(/step (\d+)/)[1]);
  assert.ok(k > 0 && k < last);
  assert.match(native.trace[k].action, /^Accept\(/);
  await page.click('[data-testid=check-cause]');
  assert.deepEqual(await stepCounter(page), [k, last]);
  // That step is where the view marks the ignored rule.
  assert.ok(await page.locator('[data-testid=view] [data-id^=ignored-]').count() > 0);
  assert.match(await text(page, '[data-testid=caption]'), /The value rule was ignored/);
  // A definition opens: the twin's TLA+ text and the sentence.
  const def = page.locator('[data-testid=invariants] [data-prop=Agreement] [data-testid=definition]');
  await def.locator('summary').click();
  assert.match(await def.innerText(), /Agreement ==/);
  assert.match(await def.innerText(), /Reads learned/);
  // Every action family says what it does.
  await page.click('[data-testid=action-meanings] summary');
  const meanings = await text(page, '[data-testid=action-meanings]');
  for (const f of ['Promise', 'Accept', 'Learn', 'IncrementAttempt']) assert.match(meanings, new RegExp(f));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
