// The live preview in a real browser, under the pages' Content-Security-Policy.
//
//   node tests/browser/preview.mjs --yorisoi target/debug/yorisoi
//
// Copies the `basic` fixture and the default theme to a temporary folder (adding the
// policy's <meta> from src/browser_policy.rs to the theme's pages if they do not carry it
// yet), starts `yorisoi serve` on it, and checks in Debian's Chromium that what the
// preview adds to a page works with no inline script and no inline style: a broken save
// shows the build's messages over the page, styled (fixed to the top); a good save
// reloads the page by itself and the messages go; and the browser reports no violation
// of the policy. Prints what failed and exits non-zero on any failure.

import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// Every wait gives up after this long: the check fails instead of hanging.
const PATIENCE_MS = 60_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argument = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const yorisoi = path.resolve(argument('--yorisoi') ?? path.join(root, 'target/debug/yorisoi'));

const failures = [];
const fail = (what) => failures.push(what);

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function policy() {
  const source = await readFile(path.join(root, 'src/browser_policy.rs'), 'utf8');
  const found = source.match(/CONTENT_SECURITY_POLICY: &str = "([^"]*)"/s);
  if (!found) throw new Error('no CONTENT_SECURITY_POLICY in src/browser_policy.rs');
  return found[1].replace(/\\\n\s*/g, '');
}

/// Adds the policy's <meta> after <meta charset> in every template that lacks one.
async function withPolicy(templates, csp) {
  for (const entry of await readdir(templates, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    const text = await readFile(file, 'utf8');
    if (text.includes('Content-Security-Policy') || !text.includes('<meta charset="utf-8">')) continue;
    await writeFile(file, text.replace('<meta charset="utf-8">',
      `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">`));
  }
}

/// Saves as editors do: written beside the file and renamed into place.
async function save(file, text) {
  const beside = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await writeFile(beside, text);
  await rename(beside, file);
}

const dir = await mkdtemp(path.join(tmpdir(), 'yorisoi-preview-'));
let served;
let browser;
try {
  await cp(path.join(root, 'tests/fixtures/basic/content'), path.join(dir, 'content'), { recursive: true });
  await cp(path.join(root, 'themes/default'), path.join(dir, 'theme'), { recursive: true });
  await withPolicy(path.join(dir, 'theme/templates'), await policy());
  const port = await freePort();
  served = spawn(yorisoi, ['serve', '--content', 'content', '--theme', 'theme', '--now', '2026-11-21',
    '--messages', 'en', '--port', String(port)], { cwd: dir, stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`${origin}/support/`)).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() - started > PATIENCE_MS) throw new Error('serve never answered');
    await new Promise((r) => setTimeout(r, 100));
  }

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  page.setDefaultTimeout(PATIENCE_MS);
  // Set before any page script runs, and not subject to the page's policy; kept here,
  // across the reloads.
  const violations = [];
  await page.exposeFunction('__yorisoiViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__yorisoiViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  const messages = [];
  page.on('console', (m) => { if (m.type() === 'error') messages.push(m.text()); });
  page.on('pageerror', (e) => messages.push(String(e)));

  const about = path.join(dir, 'content/about.ja.md');
  const good = '+++\ntitle = "センターについて"\n+++\n\n直した本文です。\n';
  // The script is running once its event stream is open; the saves below are only
  // seen through it.
  const streamOpen = page.waitForResponse((r) => r.url().includes('/__yorisoi/events'));
  await page.goto(`${origin}/support/about/`);
  if (!(await page.content()).includes('Content-Security-Policy')) fail('the page carries no policy');
  await streamOpen;
  await save(about, '+++\ntitle = "センターについて"\ntitel = "x"\n+++\n');
  await page.waitForSelector('#yorisoi-preview-problems');
  const look = await page.$eval('#yorisoi-preview-problems', (el) => {
    const style = getComputedStyle(el);
    return { position: style.position, top: style.top, text: el.innerText };
  });
  if (look.position !== 'fixed' || look.top !== '0px') fail(`the messages are not styled: ${JSON.stringify(look)}`);
  if (!look.text.includes('titel')) fail(`the messages do not name the mistake: ${look.text}`);
  await save(about, good);
  await page.waitForFunction(() => !document.getElementById('yorisoi-preview-problems')
    && document.body.innerText.includes('直した本文です'));
  for (const v of violations) fail(`policy violation: ${v}`);
  for (const m of messages) fail(`browser error: ${m}`);
} catch (e) {
  fail(String(e?.stack ?? e));
} finally {
  await browser?.close();
  served?.kill();
  await rm(dir, { recursive: true, force: true });
}

for (const f of failures) console.log(`FAIL ${f}`);
console.log(failures.length === 0
  ? 'preview: messages styled, page reloaded, no policy violation'
  : `preview: ${failures.length} failure(s)`);
process.exit(failures.length === 0 ? 0 : 1);
