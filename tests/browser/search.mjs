// The site search in a real browser, as a reader uses it.
//
//   node tests/browser/search.mjs --site DIR
//
// Serves DIR on 127.0.0.1 and, in Debian's Chromium with JavaScript on, opens a search page
// for each query below in a fresh browser context (nothing cached), types the query into
// #search-q key by key, waits until #search-status names the query (results shown, or the
// "none" message) and checks what came first. Prints one line per query: the page, the
// query, the first three results (title — URL), the bytes the query loaded (the response
// bodies under /_search/ from the first key press until the results settled) and the
// bytes of the page load (HTML, CSS, script, icons); then the size of DIR/_search. Fails
// on a wrong result, on any request that leaves the local server, on any refusal of the
// Content-Security-Policy, on any error thrown by the page's script and on a failed
// request; exits 1 on any failure, 2 if it could not run.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startServer, walk } from './serve.mjs';

// How long the results may take to settle after the last key press (the page waits
// 250 ms after a key before it searches).
const SETTLE_MS = 15_000;

// The icons the browser fetches for the tab by itself.
// (A theme file's name carries its content's hash: favicon-<16 hex>.svg.)
const ICON = /^\/(?:favicon(?:-[0-9a-f]{16})?\.(?:svg|png|ico)|apple-touch-icon\.png)$/;

// What each query must find. Each of `expect` gets the results shown ({ title, url,
// excerpt }, in order, `url` as a path), the status text and the page's messages ({ none,
// failed } for this query), and returns what is wrong, if anything.
const firstIs = (url) => (results) => (results[0]?.url === url ? null : `the first result is ${results[0]?.url ?? 'missing'}, not ${url}`);
const amongFirstThree = (url) => (results) => (results.slice(0, 3).some((r) => r.url === url)
  ? null : `${url} is not among the first three`);
const someResult = () => (results) => (results.length > 0 ? null : 'no result');
const firstExcerptHas = (text) => (results) => (results[0]?.excerpt.includes(text)
  ? null : `the first result's excerpt does not contain ${text}: "${results[0]?.excerpt ?? ''}"`);
const allUnder = (prefix) => (results) => {
  const outside = results.filter((r) => !r.url.startsWith(prefix));
  return outside.length === 0 ? null : `results outside ${prefix}: ${outside.map((r) => r.url).join(', ')}`;
};
const noResult = () => (results, status, messages) => {
  if (results.length > 0) return `${results.length} results, expected none`;
  return status === messages.none ? null : `the status is "${status}", not the page's "none" message "${messages.none}"`;
};

const SEARCHES = [
  { page: '/search/', query: '家族会', expect: [firstIs('/services/families/')] },
  { page: '/search/', query: 'ひきこもり', expect: [amongFirstThree('/about/')] },
  { page: '/search/', query: '古川駅', expect: [firstIs('/access/')] },
  { page: '/search/', query: '大崎市', expect: [firstIs('/directory/')] },
  // A reading in hiragana finds the word written in kanji, and marks it.
  { page: '/search/', query: 'そうだん', expect: [someResult(), firstExcerptHas('相談')] },
  // A compound word of the access page, and a word in katakana.
  { page: '/search/', query: '新幹線', expect: [firstIs('/access/')] },
  { page: '/search/', query: 'サポートブック', expect: [firstIs('/downloads/')] },
  { page: '/en/search/', query: 'family meeting', expect: [firstIs('/en/services/families/')] },
  { page: '/en/search/', query: 'access', expect: [firstIs('/en/access/')] },
  { page: '/easy/search/', query: 'でんわ', expect: [someResult(), allUnder('/easy/')] },
  { page: '/search/', query: 'zzzqqq', expect: [noResult()] },
  { page: '/en/search/', query: 'zzzqqq', expect: [noResult()] },
  { page: '/easy/search/', query: 'zzzqqq', expect: [noResult()] },
];

const USAGE = 'usage: node search.mjs --site DIR';

class UsageError extends Error {}

function parseArgs(argv) {
  if (argv.length !== 2 || argv[0] !== '--site' || argv[1].startsWith('--')) throw new UsageError(USAGE);
  return { site: path.resolve(argv[1]) };
}

// Listens for what the Content-Security-Policy refuses and hands it to the test through a
// binding. Serialised by Playwright, so it must not refer to anything outside itself.
function listenForPolicyViolations() {
  document.addEventListener('securitypolicyviolation', (event) => {
    globalThis.__searchPolicyViolation?.(`${event.effectiveDirective || event.violatedDirective} refused ${event.blockedURI || 'inline'}`);
  });
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

// What each response of the page load is, for the byte count.
function kindOf(response) {
  const type = response.request().resourceType();
  if (type === 'document') return 'html';
  if (type === 'stylesheet') return 'css';
  if (type === 'script') return 'js';
  return 'other';
}

// One query on a fresh context: load the page, type, wait, read, check.
async function runSearch(browser, origin, search) {
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(listenForPolicyViolations);
    await context.exposeBinding('__searchPolicyViolation', (_source, what) => problems.push(`CSP: ${what}`));
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`the page's script threw: ${error.message}`));

    // Every response, with the phase it came in and its body's size once read.
    let phase = 'load';
    const bodies = [];
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('about:')) return;
      if (new URL(url).origin !== origin) problems.push(`request left the local server: ${url}`);
    });
    page.on('response', (response) => {
      const url = response.url();
      if (!url.startsWith(origin)) return;
      if (response.status() >= 400) problems.push(`${response.status()} ${url.slice(origin.length)}`);
      const entry = { phase, path: url.slice(origin.length), kind: kindOf(response), bytes: 0 };
      entry.read = response.body().then((b) => { entry.bytes = b.length; }, () => {});
      bodies.push(entry);
    });
    page.on('requestfailed', (request) => {
      if (request.url().startsWith(origin)) problems.push(`${request.failure()?.errorText} ${request.url().slice(origin.length)}`);
    });

    const response = await page.goto(origin + search.page, { waitUntil: 'networkidle' });
    if (response?.status() !== 200) throw new Error(`${search.page} answered ${response?.status()}`);
    if (await page.locator('#search-form').count() !== 1) throw new Error(`${search.page} has no #search-form`);

    phase = 'query';
    await page.locator('#search-q').click();
    await page.keyboard.type(search.query);
    const trimmed = search.query.trim();
    const settled = await page.waitForFunction((query) => {
      const form = document.getElementById('search-form');
      const area = document.getElementById('search-results-area');
      const status = document.getElementById('search-status')?.textContent ?? '';
      if (!area || area.hidden) return false;
      const fill = (template) => (template ?? '').replaceAll('{query}', query);
      const messages = { none: fill(form.dataset.none), failed: form.dataset.failed ?? '' };
      if (status === messages.failed) return { failed: true, status, messages };
      return status.includes(query) ? { failed: false, status, messages } : false;
    }, trimmed, { timeout: SETTLE_MS, polling: 50 }).then((handle) => handle.jsonValue());
    // Whatever the results still load (nothing, if they have settled) is counted too.
    await page.waitForLoadState('networkidle');
    await Promise.all(bodies.map((b) => b.read));

    const results = await page.$$eval('#search-results > li', (items) => items.map((li) => {
      const link = li.querySelector('.search-result-title a');
      return {
        title: link?.textContent.trim() ?? '',
        url: link ? new URL(link.getAttribute('href'), document.baseURI).pathname : '',
        excerpt: li.querySelector('.search-result-excerpt')?.textContent ?? '',
      };
    }));
    if (settled.failed) problems.push(`the page says the search failed: ${settled.status}`);
    if (results.length > 0 && settled.status === settled.messages.none) problems.push('results are shown under the "none" message');
    for (const expectation of search.expect) {
      const wrong = expectation(results, settled.status, settled.messages);
      if (wrong) problems.push(wrong);
    }
    // Refusals are reported as queued tasks: give them a moment.
    await page.waitForTimeout(200);

    // The page's icons are fetched by the browser whenever it gets round to it, sometimes
    // after typing began: they belong to the page load. Anything else fetched after the
    // first key press must be the index.
    const sum = (list) => list.reduce((total, b) => total + b.bytes, 0);
    const isIcon = (b) => ICON.test(b.path);
    const load = bodies.filter((b) => b.phase === 'load' || isIcon(b));
    const query = bodies.filter((b) => b.phase === 'query' && !isIcon(b));
    const searchFiles = query.filter((b) => b.path.startsWith('/_search/'));
    for (const b of query) {
      if (!b.path.startsWith('/_search/')) problems.push(`typing loaded ${b.path}, outside /_search/`);
    }
    // The same file of the index fetched more than once for one query: the script asks
    // for each file once, so a repeat is a fault.
    const seen = new Map();
    let repeatedBytes = 0;
    for (const b of searchFiles) {
      if (seen.has(b.path)) repeatedBytes += b.bytes;
      seen.set(b.path, (seen.get(b.path) ?? 0) + 1);
    }
    const repeated = [...seen].filter(([, n]) => n > 1)
      .map(([file, n]) => `${file.replace(/^\/_search\//, '').replace(/\?.*$/, '')} ×${n}`);
    if (repeated.length > 0) {
      problems.push(`index files fetched more than once: ${repeated.join(', ')} (${repeatedBytes} B of the query's bytes are repeats)`);
    }
    const warnings = [];
    const byKind = ['html', 'css', 'js', 'other']
      .map((kind) => `${kind} ${kB(sum(load.filter((b) => b.kind === kind)))}`).join(', ');
    return {
      problems,
      warnings,
      results,
      status: settled.status,
      queryBytes: sum(searchFiles),
      queryFiles: searchFiles.map((b) => b.path.replace(/^\/_search\//, '').replace(/\?.*$/, '')),
      loadBytes: sum(load),
      loadDetail: byKind,
    };
  } finally {
    await context.close();
  }
}

async function main() {
  const { site } = parseArgs(process.argv.slice(2));
  const searchDir = path.join(site, '_search');
  if (!(await stat(searchDir).catch(() => null))?.isDirectory()) throw new Error(`no _search folder in ${site}`);
  // The files the script reads, not the compressed copies a server may send instead.
  const searchFiles = (await walk(searchDir)).filter((f) => !/\.(gz|br)$/.test(f));
  const searchBytes = (await Promise.all(searchFiles.map(async (f) => (await stat(f)).size))).reduce((a, b) => a + b, 0);
  for (const page of new Set(SEARCHES.map((s) => s.page))) {
    const html = await readFile(path.join(site, page, 'index.html'), 'utf8').catch(() => '');
    if (!/\sid="search-form"/.test(html)) throw new Error(`${page} is not a search page in ${site}`);
  }

  const server = await startServer(site);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  let failed = 0;
  let warned = 0;
  try {
    for (const search of SEARCHES) {
      const label = `${search.page} 「${search.query}」`;
      let outcome;
      try {
        outcome = await runSearch(browser, origin, search);
      } catch (error) {
        failed++;
        console.log(`FAIL ${label}: could not run: ${String(error?.message ?? error).split('\n')[0]}`);
        continue;
      }
      const first = outcome.results.slice(0, 3).map((r, i) => `${i + 1}. ${r.title} — ${r.url}`).join(' | ') || 'no results';
      console.log(`${outcome.problems.length ? 'FAIL' : 'ok  '} ${label}: ${outcome.results.length} results: ${first}; `
        + `query ${outcome.queryBytes} B (${kB(outcome.queryBytes)}) in ${outcome.queryFiles.length} files [${outcome.queryFiles.join(' ')}]; `
        + `page load ${outcome.loadBytes} B (${kB(outcome.loadBytes)}: ${outcome.loadDetail})`);
      const times = new Map();
      for (const problem of outcome.problems) times.set(problem, (times.get(problem) ?? 0) + 1);
      for (const [problem, n] of times) console.log(`     - ${problem}${n > 1 ? ` (×${n})` : ''}`);
      for (const warning of outcome.warnings) console.log(`     warning: ${warning}`);
      if (outcome.problems.length) failed++;
      warned += outcome.warnings.length ? 1 : 0;
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`_search folder: ${searchBytes} B (${kB(searchBytes)}) in ${searchFiles.length} files`);
  if (warned) console.log(`warnings: ${warned} of ${SEARCHES.length} queries (see above)`);
  console.log(failed === 0 ? `search: PASS (${SEARCHES.length} queries)` : `search: FAIL (${failed} of ${SEARCHES.length} queries)`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error instanceof UsageError ? error.message : error?.stack ?? error);
    console.error('search: FAIL (the test could not run)');
    process.exitCode = 2;
  },
);
