// The browser example end to end: Debian's Chromium (headless, driven by
// playwright-core) loads the page from serve.mjs, pointed at the test kit's
// mock LLM server with ?endpoint=. The scripted model fetches a URL (the
// sample project's config asks before fetching, so the page shows an
// approval prompt, which the test allows), edits src/greet.js and answers;
// the page must show the reply, the staged diff with its added and removed
// lines, and, after Apply, the file's new content.
//
//   npm ci && bash npm/build.sh && node --test wasm/examples/browser/test/
//
// CHROMIUM overrides the browser's path (default /usr/bin/chromium).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startMockServer } from '../../../../scripts/lib/mock-llm-server.mjs';
import { EXAMPLE_DIR, startStaticServer } from '../serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ANSWER = 'Done: src/greet.js now greets with Hi.';
/** How long the page may take for each step (a cold wasm compile included). */
const STEP_MS = 60_000;

/** The model: a fetch of `fetched` (asked for first), an edit of src/greet.js, the answer. */
function script(fetched) {
  return [
    { tool_calls: [{ id: 'call_fetch', name: 'webfetch', arguments: { url: fetched, format: 'text' } }] },
    {
      tool_calls: [
        {
          id: 'call_edit',
          name: 'edit',
          arguments: { filePath: 'src/greet.js', oldString: '"Hello, "', newString: '"Hi, "' },
        },
      ],
    },
    { text: ANSWER },
  ];
}

let mock;
let site;
let context;
let profile;
const pageErrors = [];

before(async () => {
  assert.ok(
    existsSync(join(EXAMPLE_DIR, 'pkg', 'code_mesh_bg.wasm')),
    'wasm/examples/browser/pkg is missing: build it with `bash npm/build.sh`',
  );
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  site = await startStaticServer({ port: 0 });
  // Same origin as the page, so the fetch needs no CORS.
  mock = await startMockServer(script(`${site.url}sample-project.js`));
  profile = mkdtempSync(join(tmpdir(), 'code-mesh-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  site?.server.close();
  mock?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('a message to the example page asks for approval, streams the reply and renders the staged diff', async (t) => {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_MS);
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  t.after(async () => {
    if (pageErrors.length > 0) t.diagnostic(pageErrors.join('\n'));
  });

  try {
    await page.goto(`${site.url}?endpoint=${encodeURIComponent(mock.url)}&model=${encodeURIComponent('openai/mock-model')}`);
    await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
    assert.equal(
      await page.getAttribute('body', 'data-state'),
      'ready',
      `the page did not get ready: ${await page.textContent('#status')}`,
    );
    assert.equal(await page.inputValue('#base-url'), mock.url);

    await page.fill('#prompt', 'Greet with Hi instead of Hello in src/greet.js');
    await page.click('#send');

    const approval = page.locator('.approval', { hasText: 'sample-project.js' });
    await approval.waitFor();
    await approval.locator('button.allow').click();
    await page.locator('.tool-line', { hasText: 'webfetch' }).filter({ hasNotText: '…' }).waitFor();

    const reply = page.locator('.message.assistant .text', { hasText: ANSWER });
    await reply.waitFor();
    await page.locator('.tool-line', { hasText: 'edit' }).first().waitFor();
    const added = page.locator('#diff .diff-line.added', { hasText: '"Hi, "' });
    const removed = page.locator('#diff .diff-line.removed', { hasText: '"Hello, "' });
    await added.waitFor();
    await removed.waitFor();
    assert.match(await page.textContent('#diff-summary'), /M src\/greet\.js/);
    assert.equal(await page.isEnabled('#apply'), true);

    await page.click('#apply');
    await page.locator('#diff-summary', { hasText: 'Nothing staged.' }).waitFor();
    await page.click('#files button[data-path="src/greet.js"]');
    assert.match(await page.textContent('#file-view'), /"Hi, "/);
  } catch (error) {
    const shot = join(tmpdir(), 'code-mesh-browser-test.png');
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    t.diagnostic(`screenshot of the page: ${shot}`);
    t.diagnostic(`status: ${await page.textContent('#status').catch(() => '?')}`);
    t.diagnostic(`transcript: ${await page.textContent('#transcript').catch(() => '?')}`);
    throw error;
  }
});
