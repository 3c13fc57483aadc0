// Accessibility and privacy audit of a built site, in a real browser.
//
//   node tests/browser/audit.mjs --site DIR [--screenshot FILE]
//
// Serves DIR on 127.0.0.1 (serve.mjs) and checks every page in Debian's Chromium: axe-core
// (WCAG 2.2 AA and best practice) in light, narrow and dark views, with the small screen's
// menu open, and as printed; that at 320 x 640 the page's heading, the start of its text
// and the consultation number are on the first screen, and that the menu bar stays open on
// a wide screen; that each furigana's base and reading reach the accessibility tree once
// each; reflow at 320 px and at 200 % text; text spacing; keyboard use (skip link, visible
// and unobscured focus); that no request leaves the local server; that no page carries
// script, but for the search's own: on a page with the search form (id="search-form"),
// one <script src="/_search/search-<hash>.js" defer></script>, a file of the site, nothing
// inline; that every page carries the browser policy (a Content-Security-Policy <meta>
// before anything that loads, and no-referrer) and breaks none of it in any view, and that
// Chromium does enforce that policy (a copy of the home page with inline script, style and
// a data: image must be refused); then runs the Nu HTML Checker on the HTML and CSS.
//
// Those views load pages with JavaScript on, as readers' browsers do; a search page then
// only waits for a query, and shows what a reader without script sees. Each search page is
// also used as readers use it, at 1280 and 320 px: with script, a query typed key by key
// (相談, or "family" on English pages), then, with the results shown, axe-core, reflow, and
// Tab from the search field to the first result's link, with every request and every
// policy refusal watched as above and any error the script throws reported; and with
// JavaScript off, the keyword index is there (a heading, groups of links, row links that
// lead to them), the results area stays hidden, and the form, sent with Enter, goes to the
// site's own page, which answers and shows the keyword index.
//
// Prints every finding and one summary line per check, and exits non-zero on any finding
// or on any check that could not run.

import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, startServer, walk } from './serve.mjs';
import { OWN_CHECKS, Record, choosePages, compareWithRecord, criteriaOfTags, ownCheckOf, writeRecord } from './record.mjs';

const require = createRequire(import.meta.url);

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

// WCAG 1.4.12: the spacing a reader may set with a user style sheet.
const TEXT_SPACING_CSS = `
  * { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
  p { margin-bottom: 2em !important; }`;

// The keyboard walk gives up after this many Tab presses: focus that has not left the
// page or come back round by then is trapped.
const MAX_TAB_PRESSES = 400;

// A check on one page that takes longer than this has hung (a page that never settles):
// it fails rather than stalling the audit.
const CHECK_TIMEOUT_MS = 120_000;

// One worker per core, at least two, so that one runs while the other waits on the
// browser; more gained nothing on a two-core machine.
const CONCURRENCY = Math.min(4, Math.max(2, availableParallelism()));

// The views each page is loaded in. `fontSizes` is Chromium's own default-font-size
// setting, which is what a reader changes; the site's rem sizes follow it.
const VIEWS = {
  desktop: { label: '1280px', contextOptions: { viewport: { width: 1280, height: 800 } } },
  narrow: { label: '320px', contextOptions: { viewport: { width: 320, height: 640 } } },
  dark: { label: '1280px dark', contextOptions: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' } },
  narrowDark: { label: '320px dark', contextOptions: { viewport: { width: 320, height: 640 }, colorScheme: 'dark' } },
  // Paper: the page as its print style sheet lays it out.
  printDesktop: { label: '1280px print', contextOptions: { viewport: { width: 1280, height: 800 } }, media: 'print' },
  printNarrow: { label: '320px print', contextOptions: { viewport: { width: 320, height: 640 } }, media: 'print' },
  printDark: { label: '1280px print dark', contextOptions: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }, media: 'print' },
  largeText: {
    label: '1280px 200% text',
    contextOptions: { viewport: { width: 1280, height: 800 } },
    fontSizes: { standard: 32, fixed: 26 },
  },
  // The search pages only. With script, after a query has been typed in: the results as
  // a reader meets them. Without script (JavaScript off in Chromium): the keyword index
  // and the form that sends the query to the server. The other views run with script on,
  // as a reader's browser does; on a search page the script then only waits for a query,
  // so that they see the same page as a reader without script.
  typed: { label: '1280px query typed', contextOptions: { viewport: { width: 1280, height: 800 } } },
  typedNarrow: { label: '320px query typed', contextOptions: { viewport: { width: 320, height: 640 } } },
  noScript: { label: '1280px no script', contextOptions: { viewport: { width: 1280, height: 800 }, javaScriptEnabled: false } },
  noScriptNarrow: { label: '320px no script', contextOptions: { viewport: { width: 320, height: 640 }, javaScriptEnabled: false } },
};

// ---------------------------------------------------------------------------------------
// Command line

const USAGE = 'usage: node audit.mjs --site DIR [--screenshot FILE] [--record FILE [--seed N]] [--compare FILE]';

// A mistake on the command line: reported in one line, without a stack trace.
class UsageError extends Error {}

function parseArgs(argv) {
  const args = { site: null, screenshot: null, record: null, compare: null, seed: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (['--site', '--screenshot', '--record', '--compare'].includes(flag) && value && !value.startsWith('--')) {
      args[flag.slice(2)] = path.resolve(value);
      i++;
    } else if (flag === '--seed' && /^\d{1,9}$/.test(value ?? '')) {
      args.seed = Number(value);
      i++;
    } else {
      throw new UsageError(`unexpected argument "${flag}"\n${USAGE}`);
    }
  }
  if (!args.site) throw new UsageError(USAGE);
  if (args.seed !== null && !args.record) throw new UsageError(`--seed goes with --record\n${USAGE}`);
  return args;
}

// ---------------------------------------------------------------------------------------
// Findings: every problem any check reports, printed grouped by check and rule.

class Findings {
  constructor() {
    this.list = [];
  }

  add(check, { page = '', view = '', rule, message = '', target = '', html = '' }) {
    this.list.push({ check, page, view, rule, message, target, html });
  }

  // A check that throws is a finding, never a silent skip. A mistake in the audit's own
  // code shows where it happened; a browser error (timeout, page gone) says what it was.
  async guard(check, where, fn) {
    try {
      return await fn();
    } catch (error) {
      const bug = error instanceof TypeError || error instanceof ReferenceError;
      const message = String(bug ? error.stack : error?.message ?? error).replace(/\x1b\[[0-9;]*m/g, '').trim();
      this.add(check, { ...where, rule: 'check-could-not-run', message });
      return undefined;
    }
  }

  // The problems a check found, and how often it could not run at all.
  count(check) {
    const mine = this.list.filter((f) => f.check === check);
    const crashes = mine.filter((f) => f.rule === 'check-could-not-run').length;
    return { found: mine.length - crashes, crashes };
  }

  print(checkOrder) {
    const rank = (f) => checkOrder.indexOf(f.check);
    const sorted = [...this.list].sort((a, b) => rank(a) - rank(b)
      || a.rule.localeCompare(b.rule) || a.page.localeCompare(b.page) || a.view.localeCompare(b.view));
    let heading = '';
    for (const f of sorted) {
      const group = `${f.check} — ${f.rule}`;
      if (group !== heading) {
        heading = group;
        console.log(`\n## ${group}`);
      }
      const where = f.page ? `${f.page}${f.view ? ` @ ${f.view}` : ''}: ` : '';
      console.log(`- ${where}${f.message}`);
      if (f.target) console.log(`    target: ${f.target}`);
      if (f.html) console.log(`    html:   ${f.html}`);
    }
    if (sorted.length) console.log('');
  }
}

// ---------------------------------------------------------------------------------------
// The site on disk (served by serve.mjs, as the production web server serves it)

// Each page as the URL a reader would visit. A 404 page (404.html, and each language's,
// en/404.html) is visited through a missing address below its folder, as readers meet
// it, so that its own links must work from any depth.
function pagesOf(siteDir, files) {
  const pages = [];
  for (const file of files) {
    const rel = path.relative(siteDir, file).split(path.sep).join('/');
    if (rel === 'index.html' || rel.endsWith('/index.html')) {
      const url = '/' + rel.slice(0, -'index.html'.length);
      pages.push({ name: url, url, status: 200, file });
    } else if (/^([^/]+\/)?404\.html$/.test(rel)) {
      const folder = '/' + rel.slice(0, -'404.html'.length);
      pages.push({ name: `/${rel}`, url: `${folder}no-such-folder/no-such-page/`, status: 404, file });
    }
  }
  return pages;
}

// A search page is one with the search form: the one kind of page that may carry a script.
const SEARCH_FORM = /<form\b[^>]*\sid\s*=\s*["']?search-form["'\s>]/i;

// What a reader types into each language's search page in the with-script run.
const SEARCH_QUERIES = { ja: '相談', en: 'family' };

// Marks the search pages, with the query typed on each (by the language of its <html>).
async function markSearchPages(pages) {
  for (const page of pages) {
    const html = await readFile(page.file, 'utf8');
    page.search = SEARCH_FORM.test(html);
    if (!page.search) continue;
    const lang = html.match(/<html\b[^>]*\slang\s*=\s*["']?([a-z]+)/i)?.[1].toLowerCase() ?? '';
    page.query = SEARCH_QUERIES[lang];
    if (!page.query) throw new Error(`no search query for the language "${lang}" of ${page.name}`);
  }
}

// ---------------------------------------------------------------------------------------
// Helpers installed in every page before it loads, shared by the in-page checks below.
// Serialised by Playwright, so it must not refer to anything outside itself.

function installPageHelpers() {
  const isVisible = (el) => {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden';
  };

  // A short CSS path to the element: up to the nearest id, at most four steps.
  const selector = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      if (e.id) {
        parts.unshift('#' + CSS.escape(e.id));
        break;
      }
      let part = e.localName + [...e.classList].map((c) => '.' + CSS.escape(c)).join('');
      const twins = e.parentElement ? [...e.parentElement.children].filter((s) => s.localName === e.localName) : [];
      if (twins.length > 1) part += `:nth-of-type(${twins.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };

  const snippet = (el) => {
    const html = el.outerHTML.replace(/\s+/g, ' ');
    return html.length > 160 ? html.slice(0, 157) + '...' : html;
  };

  const describe = (el) => ({ target: selector(el), html: snippet(el) });

  // Content inside a keyboard-scrollable region (a wide table's wrapper) may be wider than
  // the screen: the region scrolls, the page does not.
  const inScrollRegion = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      if (e.matches('[role="region"][tabindex="0"]') && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) {
        return true;
      }
    }
    return false;
  };

  // The right edge of the element's box or of any text directly in it, which can stick
  // out of a box that is itself narrow enough (an unbreakable word).
  const rightEdge = (el) => {
    let right = el.getBoundingClientRect().right;
    for (const node of el.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.data.trim()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        right = Math.max(right, range.getBoundingClientRect().right);
      }
    }
    return right;
  };

  // Whether the page, or anything visible on it, reaches past the right edge of the view.
  // Only the outermost offender is reported: its contents stick out because it does.
  const overflow = () => {
    const width = document.documentElement.clientWidth;
    const problems = [];
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth > width) {
      problems.push({ rule: 'page-scrolls-sideways', message: `page is ${scrollWidth}px wide in a ${width}px view` });
    }
    const offenders = new Set();
    for (const el of document.body.querySelectorAll('*')) {
      if (!isVisible(el) || inScrollRegion(el)) continue;
      const right = rightEdge(el);
      if (right > width + 0.5) {
        offenders.add(el);
        if (!offenders.has(el.parentElement)) {
          problems.push({
            rule: 'element-past-right-edge',
            message: `right edge at ${Math.round(right)}px in a ${width}px view`,
            ...describe(el),
          });
        }
      }
    }
    return problems;
  };

  // Elements that hide part of their own text: overflow hidden or clip in an axis in which
  // the content is larger than the box. One-pixel boxes are the usual screen-reader-only
  // text, clipped on purpose.
  const clippedText = () => {
    const problems = [];
    for (const el of document.body.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const clips = (value) => value === 'hidden' || value === 'clip';
      const clipsX = clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const clipsY = clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (!(clipsX || clipsY) || !el.textContent.trim() || !isVisible(el)) continue;
      if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
      const lost = [];
      if (clipsX) lost.push(`${el.scrollWidth - el.clientWidth}px cut off sideways`);
      if (clipsY) lost.push(`${el.scrollHeight - el.clientHeight}px cut off at the bottom`);
      problems.push({ rule: 'text-clipped', message: lost.join(', '), ...describe(el) });
    }
    return problems;
  };

  const hasFocusIndicator = (el) => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return outline || style.boxShadow !== 'none';
  };

  // What covers the element, if something other than itself, its contents or its
  // containers lies on top of the centre of any of its boxes. A link that wraps has one
  // box per line; the centre of its overall rectangle may be on the text beside it.
  const coveredBy = (el) => {
    for (const rect of el.getClientRects()) {
      const top = document.elementsFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2)[0];
      if (!top || el.contains(top) || top.contains(el)) continue;
      for (let e = top; e; e = e.parentElement) {
        const position = getComputedStyle(e).position;
        if (position === 'fixed' || position === 'sticky') return { position, ...describe(e) };
      }
      return { position: getComputedStyle(top).position, ...describe(top) };
    }
    return null;
  };

  const insideView = (rect) => rect.width > 0 && rect.height > 0 && rect.left >= -0.5 && rect.top >= -0.5
    && rect.right <= document.documentElement.clientWidth + 0.5
    && rect.bottom <= document.documentElement.clientHeight + 0.5;

  // An element taller than the view (a long table's scrolling region) can never be
  // inside it: the browser scrolls part of it into view, and its outline shows along
  // both sides, which must be in view, over the part that is.
  const tallerThanTheViewAndShown = (rect) => rect.height > document.documentElement.clientHeight
    && rect.width > 0 && rect.left >= -0.5 && rect.right <= document.documentElement.clientWidth + 0.5
    && rect.top < document.documentElement.clientHeight && rect.bottom > 0;

  // One stop of the Tab walk: what has focus now, and what is wrong with how it shows.
  // Coming back to the first stop is the walk wrapping round; coming back to any other
  // means Tab is stuck in a loop the reader cannot leave.
  const seen = [];
  const focusStop = () => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { left: true };
    if (el === seen[0]) return { wrapped: true };
    if (seen.includes(el)) {
      return { wrapped: true, problems: [{ rule: 'focus-trap', message: `Tab came back to an earlier stop after ${seen.length} stops`, ...describe(el) }] };
    }
    seen.push(el);
    const problems = [];
    if (!hasFocusIndicator(el)) {
      problems.push({ rule: 'no-focus-indicator', message: 'no outline of 2px or more and no box-shadow when focused', ...describe(el) });
    }
    const rect = el.getBoundingClientRect();
    if (!insideView(rect) && !tallerThanTheViewAndShown(rect)) {
      problems.push({ rule: 'focus-outside-view', message: 'focused element is not inside the view', ...describe(el) });
    } else {
      const cover = coveredBy(el);
      if (cover) {
        problems.push({
          rule: 'focus-obscured',
          message: `focused element is covered by ${cover.position} ${cover.target}`,
          ...describe(el),
        });
      }
    }
    return { problems };
  };

  const skipLinkProblems = () => {
    const el = document.activeElement;
    if (!el || !el.matches('a.skip-link')) {
      return [{ rule: 'skip-link-not-first', message: 'the first Tab does not focus a.skip-link', ...(el ? describe(el) : {}) }];
    }
    const problems = [];
    if (el.getAttribute('href') !== '#main') {
      problems.push({ rule: 'skip-link-href', message: `skip link points to "${el.getAttribute('href')}", not "#main"`, ...describe(el) });
    }
    if (!insideView(el.getBoundingClientRect())) {
      problems.push({ rule: 'skip-link-hidden', message: 'skip link is not visible inside the view when focused', ...describe(el) });
    }
    return problems;
  };

  const skipTargetProblems = () => {
    const main = document.getElementById('main');
    if (!main || main.localName !== 'main') {
      return [{ rule: 'skip-link-target', message: 'there is no <main id="main">' }];
    }
    if (document.activeElement !== main && !main.matches(':target')) {
      const el = document.activeElement;
      return [{ rule: 'skip-link-target', message: 'Enter on the skip link moves neither focus nor the target to <main>', ...(el ? describe(el) : {}) }];
    }
    return [];
  };

  globalThis.__audit = { overflow, clippedText, focusStop, skipLinkProblems, skipTargetProblems };
}

// ---------------------------------------------------------------------------------------
// Browser checks. Each gets a freshly loaded page and returns its problems.

async function checkAxe(page, { axeSource, note }) {
  await page.evaluate(axeSource);
  const results = await page.evaluate((tags) => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), AXE_TAGS);
  // For the record: which rules passed, failed, or need a person (axe's "incomplete").
  for (const r of results.passes) note?.(`axe:${r.id}`, 'pass');
  for (const r of results.incomplete) note?.(`axe:${r.id}`, 'review');
  for (const r of results.violations) note?.(`axe:${r.id}`, 'fail');
  return results.violations.flatMap((v) => v.nodes.map((node) => ({
    rule: v.id,
    message: `(${v.impact}) ${v.help}`,
    target: node.target.join(' '),
    html: node.html.replace(/\s+/g, ' ').slice(0, 160),
  })));
}

// The menu folded behind its control on a small screen, opened as a reader opens it:
// the open menu must pass axe too, and show every one of its links.
async function checkAxeMenuOpen(page, shared) {
  const toggle = page.locator('.site-menu > summary');
  if (await toggle.count() === 0) return [];
  const problems = [];
  if (!await toggle.isVisible()) {
    problems.push({ rule: 'menu-control-hidden', message: 'the menu does not fold behind its control at 320 px' });
    return problems;
  }
  const linksShown = () => page.evaluate(() => [...document.querySelectorAll('.site-menu .main-menu a')]
    .map((a) => ({ text: a.textContent.trim(), shown: a.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }) })));
  if ((await linksShown()).some((l) => l.shown)) {
    problems.push({ rule: 'menu-not-folded', message: 'the menu is open before its control is used' });
  }
  await toggle.click();
  for (const link of await linksShown()) {
    if (!link.shown) problems.push({ rule: 'menu-link-hidden', message: `"${link.text}" is not shown in the open menu` });
  }
  return [...problems, ...await checkAxe(page, shared)];
}

// Audio or video on the page, for the record: without any, the criteria about media do
// not apply. Never a finding: a page may carry media, and a person then judges them.
const MEDIA_FILE = /\.(mp3|m4a|aac|wav|ogg|oga|opus|flac|mp4|m4v|webm|mov|avi|wmv|mpe?g)(?:[?#]|$)/i;

async function checkMedia(page, { note }) {
  const media = await page.evaluate((pattern) => {
    const re = new RegExp(pattern, 'i');
    const elements = document.querySelectorAll('audio, video, object, embed, iframe').length;
    const links = [...document.querySelectorAll('a[href]')].filter((a) => re.test(new URL(a.href).pathname)).length;
    return elements + links;
  }, MEDIA_FILE.source);
  note('media:none', media === 0 ? 'pass' : 'review');
  const problems = [];
  problems.stats = { media };
  return problems;
}

// On a wide screen the menu bar is open, as it always was, with no control to use.
async function checkMenuBar(page) {
  return page.evaluate(() => {
    const links = [...document.querySelectorAll('.site-menu .main-menu a')];
    const summary = document.querySelector('.site-menu > summary');
    const problems = links.filter((a) => !a.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true }))
      .map((a) => ({ rule: 'menu-bar-link-hidden', message: `"${a.textContent.trim()}" is not shown at 1280 px` }));
    if (summary && summary.getClientRects().length > 0) {
      problems.push({ rule: 'menu-bar-folded', message: 'the menu bar is folded at 1280 px' });
    }
    return problems;
  });
}

// At 320 x 640 the page is the first thing a reader sees: its h1 and the start of its
// text above the fold, the consultation number still on the screen, and on a help-now
// page the first emergency number.
async function checkFirstScreen(page) {
  return page.evaluate(() => {
    const problems = [];
    const fold = window.innerHeight;
    const h1 = document.querySelector('main h1');
    if (!h1) return [{ rule: 'no-h1', message: 'the page has no h1 in main' }];
    const heading = h1.getBoundingClientRect();
    if (heading.bottom > fold) {
      problems.push({ rule: 'heading-below-first-screen', message: `the h1 ends at ${Math.round(heading.bottom)} px, below ${fold} px` });
    }
    // The first piece of text after the heading, wherever it is in main.
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    walker.currentNode = h1;
    let text = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!h1.contains(node) && node.textContent.trim() !== '' && node.parentElement.getClientRects().length > 0) {
        text = node;
        break;
      }
    }
    if (text) {
      const range = document.createRange();
      range.selectNodeContents(text);
      const top = range.getClientRects()[0]?.top ?? Infinity;
      if (top > fold - 24) {
        problems.push({ rule: 'text-below-first-screen', message: `the text starts at ${Math.round(top)} px, below the first screen of ${fold} px` });
      }
    }
    // On a help-now page, the first emergency number (119) is what someone in danger
    // needs: all of it on the first screen.
    const emergency = document.querySelector('.emergency-number a');
    if (emergency) {
      const r = emergency.getBoundingClientRect();
      if (r.top < 0 || r.bottom > fold || r.width === 0) {
        problems.push({ rule: 'emergency-number-not-on-first-screen', message: `the first emergency number ends at ${Math.round(r.bottom)} px, below ${fold} px` });
      }
    }
    const number = document.querySelector('.help-line-number a');
    if (number) {
      const r = number.getBoundingClientRect();
      if (r.top < 0 || r.bottom > fold || r.width === 0) {
        problems.push({ rule: 'consultation-number-not-on-first-screen', message: `the consultation number is at ${Math.round(r.top)} px` });
      }
    }
    return problems;
  });
}

// Furigana as a screen reader gets them: Chromium's accessibility tree must hold each
// <ruby> of the page as a Ruby node whose text is the base, once, and whose description
// is the reading, once; the <rt> and the fallback <rp> parentheses stay out of the text,
// or the reader would hear the word and its reading twice, or hear brackets.
async function checkRuby(page) {
  const written = await page.evaluate(() => [...document.querySelectorAll('ruby')]
    .filter((ruby) => ruby.getClientRects().length > 0)
    .map((ruby) => {
      let base = '';
      const walker = document.createTreeWalker(ruby, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement.closest('rt, rp')) base += node.textContent;
      }
      return { base, readings: [...ruby.querySelectorAll('rt')].map((rt) => rt.textContent) };
    }));
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const exposed = [];
  const textUnder = (node) => (node.childIds ?? []).map((id) => byId.get(id)).filter(Boolean)
    .map((child) => {
      if (child.ignored) return '';
      if (child.role?.value === 'StaticText') return child.name?.value ?? '';
      return textUnder(child);
    }).join('');
  const visit = (node) => {
    if (!node) return;
    if (node.role?.value === 'Ruby' && !node.ignored) {
      exposed.push({ text: textUnder(node), name: node.name?.value ?? '', description: node.description?.value ?? '' });
    }
    for (const id of node.childIds ?? []) visit(byId.get(id));
  };
  visit(nodes.find((n) => !n.parentId));
  const problems = [];
  if (exposed.length !== written.length) {
    problems.push({ rule: 'ruby-count', message: `${written.length} shown <ruby> elements, ${exposed.length} Ruby nodes in the accessibility tree` });
  }
  written.slice(0, exposed.length).forEach((ruby, i) => {
    const node = exposed[i];
    const word = `${ruby.base}（${ruby.readings.join('・')}）`;
    if (node.text !== ruby.base) {
      problems.push({ rule: 'ruby-base', message: `${word}: the tree's text is "${node.text}", not the base once` });
    }
    if (ruby.readings.length !== 1 || node.description !== ruby.readings[0]) {
      problems.push({ rule: 'ruby-reading', message: `${word}: the tree's description is "${node.description}", not the reading once` });
    }
    if (node.name !== '' && node.name !== ruby.base) {
      problems.push({ rule: 'ruby-name', message: `${word}: the tree's name is "${node.name}"` });
    }
  });
  problems.rubies = written.length;
  return problems;
}

async function checkReflow(page) {
  return page.evaluate(() => globalThis.__audit.overflow());
}

// Clipped text, and text that, once spaced out, pushes the page wider than the view.
// The spacing is applied as a constructed style sheet, as a reader's extension would: the
// pages' Content-Security-Policy refuses a <style> element (and reports it as a violation).
async function checkTextSpacing(page) {
  const applied = await page.evaluate((css) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return parseFloat(getComputedStyle(document.body).wordSpacing) > 0;
  }, TEXT_SPACING_CSS);
  if (!applied) throw new Error('the text-spacing style sheet did not apply');
  return page.evaluate(() => [
    ...globalThis.__audit.clippedText(),
    ...globalThis.__audit.overflow().map((p) => ({ ...p, rule: `spaced-${p.rule}` })),
  ]);
}

async function checkKeyboard(page, { reload }) {
  await page.keyboard.press('Tab');
  const problems = await page.evaluate(() => globalThis.__audit.skipLinkProblems());
  if (await page.evaluate(() => document.activeElement?.matches('a.skip-link') ?? false)) {
    await page.keyboard.press('Enter');
    problems.push(...await page.evaluate(() => globalThis.__audit.skipTargetProblems()));
  }

  // Walk the whole page from the top, on a fresh load, until focus leaves the page or
  // comes back to an element it has already visited.
  await reload();
  let stops = 0;
  for (let presses = 0; ; presses++) {
    if (presses >= MAX_TAB_PRESSES) {
      problems.push({ rule: 'focus-trap', message: `Tab did not leave the page after ${MAX_TAB_PRESSES} presses` });
      break;
    }
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => globalThis.__audit.focusStop());
    problems.push(...stop.problems ?? []);
    if (stop.wrapped || stop.left) break;
    stops++;
  }
  if (stops === 0) problems.push({ rule: 'no-focus-stops', message: 'Tab never focused anything on the page' });
  return Object.assign(problems, { stops });
}

// The results must appear this soon after the last key press (the page waits 250 ms
// after a key before it searches).
const SEARCH_SETTLE_MS = 15_000;

// Tab presses allowed from the search field to the first result: the submit button, and
// anything the page may put between, lies on the way.
const TABS_TO_FIRST_RESULT = 10;

// A search page with its script, as a reader uses it: a query typed key by key into the
// field, the results waited for, then axe-core, reflow and the keyboard on the page as it
// is with its results, and any error the script throws. What the page fetches meanwhile
// is watched with every other request (network), and what the policy refuses with every
// other refusal (csp).
async function checkSearchWithScript(page, { axeSource, sitePage, origin, note }) {
  const problems = [];
  const onError = (error) => problems.push({ rule: 'script-error', message: `the page's script threw: ${error.message}` });
  page.on('pageerror', onError);
  const indexRequests = [];
  const onRequest = (request) => {
    const url = request.url();
    if (url.startsWith(`${origin}/_search/`) && !/\/_search\/search-[0-9a-f]{16}\.js$/.test(url)) indexRequests.push(url);
  };
  page.on('request', onRequest);
  try {
    const input = page.locator('#search-q');
    await input.click();
    await page.keyboard.type(sitePage.query);
    const settled = await page.waitForFunction((query) => {
      const area = document.getElementById('search-results-area');
      const status = document.getElementById('search-status')?.textContent ?? '';
      const failed = document.getElementById('search-form')?.dataset.failed;
      if (!area || area.hidden) return false;
      if (failed && status === failed) return { failed: true, status };
      const items = document.querySelectorAll('#search-results > li').length;
      return status.includes(query) && items > 0 ? { failed: false, status, items } : false;
    }, sitePage.query, { timeout: SEARCH_SETTLE_MS, polling: 50 }).then((handle) => handle.jsonValue(), () => null);
    if (!settled || settled.failed) {
      const status = await page.locator('#search-status').textContent().catch(() => null);
      problems.push({
        rule: settled ? 'search-failed' : 'search-no-results',
        message: settled ? `typing "${sitePage.query}" ends in the page's failure message: "${status}"`
          : `typing "${sitePage.query}" shows no result within ${SEARCH_SETTLE_MS / 1000} s; the status says ${status === null ? 'nothing' : `"${status}"`}`,
      });
      return problems;
    }
    if (indexRequests.length === 0) {
      problems.push({ rule: 'search-index-not-fetched', message: 'results appeared, but nothing under /_search/ was fetched: the network was not watched' });
    }

    problems.push(...await checkAxe(page, { axeSource, note }));
    problems.push(...(await page.evaluate(() => globalThis.__audit.overflow())).map((p) => ({ ...p, rule: `results-${p.rule}` })));

    // The results by keyboard: Tab on from the field in which the query was typed.
    if (!await page.evaluate(() => document.activeElement?.id === 'search-q')) {
      problems.push({ rule: 'search-field-lost-focus', message: 'the search field lost focus while the results appeared' });
      await input.focus();
    }
    let presses = 0;
    let reached = false;
    while (!reached && presses < TABS_TO_FIRST_RESULT) {
      await page.keyboard.press('Tab');
      presses++;
      const stop = await page.evaluate(() => globalThis.__audit.focusStop());
      problems.push(...stop.problems ?? []);
      reached = await page.evaluate(() => document.activeElement !== null
        && document.activeElement === document.querySelector('#search-results > li .search-result-title a'));
      if (stop.left || stop.wrapped) break;
    }
    if (!reached) {
      const focused = await page.evaluate(() => document.activeElement?.outerHTML.replace(/\s+/g, ' ').slice(0, 160) ?? '');
      problems.push({
        rule: 'search-results-not-reachable',
        message: `Tab from the search field did not reach the first result's link in ${presses} presses`,
        html: focused,
      });
    }
    // Refusals are reported as queued tasks: give the last of them a moment.
    await page.waitForTimeout(300);
    problems.stats = { results: settled.items, indexRequests: indexRequests.length, presses: reached ? presses : 0 };
    return problems;
  } finally {
    page.off('request', onRequest);
    page.off('pageerror', onError);
  }
}

// A search page without script (JavaScript off in Chromium): the keyword index is there,
// and the form sends the query to the site, where the reader lands on the index. axe-core
// cannot run with script off; the page it would see is the one the other views see.
async function checkSearchWithoutScript(page, { sitePage, origin }) {
  const found = await page.evaluate(() => {
    const problems = [];
    const describe = (el) => ({ html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 160) });
    const shown = (el) => Boolean(el) && el.getClientRects().length > 0
      && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true });
    const area = document.getElementById('search-results-area');
    if (shown(area)) problems.push({ rule: 'results-shown-without-script', message: 'the (empty) results area shows without script', ...describe(area) });

    const heading = document.getElementById('keywords-heading');
    if (!shown(heading)) problems.push({ rule: 'no-keyword-index', message: 'there is no #keywords-heading shown' });
    const groups = [...document.querySelectorAll('.keyword-group')];
    if (groups.length === 0) problems.push({ rule: 'no-keyword-index', message: 'there is no .keyword-group' });
    let links = 0;
    for (const group of groups) {
      const entries = [...group.querySelectorAll('a[href]')];
      links += entries.length;
      if (!group.querySelector('h3[id]') || entries.length === 0 || !shown(group)) {
        problems.push({ rule: 'keyword-group-empty', message: 'a keyword group is hidden, or has no h3 with an id, or no link', ...describe(group) });
      }
      for (const a of entries) {
        if (new URL(a.href).origin !== location.origin) problems.push({ rule: 'keyword-link-off-site', message: a.href, ...describe(a) });
      }
    }
    for (const a of document.querySelectorAll('a[href^="#keywords-"]')) {
      if (!document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))) {
        problems.push({ rule: 'keyword-row-link-broken', message: `nothing has the id ${a.getAttribute('href')}`, ...describe(a) });
      }
    }

    const form = document.getElementById('search-form');
    const input = document.getElementById('search-q');
    if (!form || !input) return { problems: [...problems, { rule: 'no-search-form', message: 'no #search-form with #search-q' }], links };
    const button = [...form.querySelectorAll('button, input[type="submit"]')].find((b) => b.type === 'submit');
    const action = new URL(form.getAttribute('action') ?? '', document.baseURI);
    if ((form.getAttribute('method') ?? 'get').toLowerCase() !== 'get') {
      problems.push({ rule: 'search-form-method', message: `the form's method is ${form.getAttribute('method')}, not get`, ...describe(form) });
    }
    if (action.origin !== location.origin) problems.push({ rule: 'search-form-action', message: `the form is sent to ${action.href}`, ...describe(form) });
    if (input.form !== form || input.name !== 'q' || !shown(input) || input.disabled) {
      problems.push({ rule: 'search-field-unusable', message: 'the field is not a shown, enabled field named q in the form', ...describe(input) });
    }
    if (!button || !shown(button) || button.disabled) problems.push({ rule: 'search-button-unusable', message: 'the form has no shown, enabled submit button', ...describe(form) });
    return { problems, links, action: action.href };
  });
  const problems = found.problems;
  problems.stats = { links: found.links };
  if (!found.action) return problems;

  // Sent as a reader without script sends it: typed, then Enter.
  await page.locator('#search-q').click();
  await page.keyboard.type(sitePage.query);
  const isPage = (frame) => frame === page.mainFrame();
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && isPage(r.request().frame()), { timeout: 30_000 });
  const committed = page.waitForEvent('framenavigated', { predicate: isPage, timeout: 30_000 });
  await page.keyboard.press('Enter');
  const [sent] = await Promise.all([response, committed]).catch(() => [null]);
  if (!sent) {
    problems.push({ rule: 'search-form-not-sent', message: 'Enter in the search field did not send the form within 30 s' });
    return problems;
  }
  await page.waitForLoadState('load');
  const action = new URL(found.action);
  const landed = new URL(page.url());
  const where = landed.origin === origin ? decodeURI(landed.href.slice(origin.length)) : landed.href;
  if (landed.origin !== origin || landed.pathname !== action.pathname
    || landed.searchParams.get('q') !== sitePage.query || landed.hash !== action.hash) {
    problems.push({
      rule: 'search-form-not-sent',
      message: `Enter in the field led to ${where}, not to ${action.pathname}?q=${sitePage.query}${action.hash}`,
    });
    return problems;
  }
  if (sent.status() !== 200) {
    problems.push({ rule: 'search-form-not-found', message: `the form is sent to ${where}, which answers ${sent.status()}` });
    return problems;
  }
  if (action.hash) {
    const target = await page.evaluate((id) => {
      const el = document.getElementById(id);
      if (!el) return 'missing';
      const rect = el.getBoundingClientRect();
      return rect.top >= -1 && rect.top < window.innerHeight ? 'shown' : `at ${Math.round(rect.top)} px`;
    }, decodeURIComponent(action.hash.slice(1)));
    if (target !== 'shown') {
      problems.push({ rule: 'search-form-target', message: `after sending the form, ${action.hash} is ${target === 'missing' ? 'not on the page' : `not on the screen (${target})`}` });
    }
  }
  return problems;
}

// Confirms the view really is what the check claims to test, so that a setting the
// browser ignored fails loudly instead of passing quietly.
async function assertView(page, viewKey) {
  const actual = await page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    rootFontSize: getComputedStyle(document.documentElement).fontSize,
    print: matchMedia('print').matches,
    scripting: matchMedia('(scripting: none)').matches ? 'none' : 'enabled',
  }));
  const view = VIEWS[viewKey];
  const expected = {
    width: view.contextOptions.viewport.width,
    dark: view.contextOptions.colorScheme === 'dark',
    rootFontSize: view.media === 'print' ? actual.rootFontSize : `${view.fontSizes?.standard ?? 16}px`,
    print: view.media === 'print',
    scripting: view.contextOptions.javaScriptEnabled === false ? 'none' : 'enabled',
  };
  for (const key of Object.keys(expected)) {
    if (actual[key] !== expected[key]) {
      throw new Error(`view ${view.label}: expected ${key} ${expected[key]}, browser has ${actual[key]}`);
    }
  }
}

// Every page carries the browser's policy as <meta> elements in its <head>: exactly one
// Content-Security-Policy, before any element that loads something (a policy only governs
// what comes after it), strict in what it allows; and the no-referrer policy. The policy's
// text is recorded, so that pages that differ are reported too.
async function checkPolicyMeta(page, { policies }) {
  const found = await page.evaluate(() => {
    const metas = (attribute, value) => [...document.querySelectorAll(`meta[${attribute}]`)]
      .filter((m) => m.getAttribute(attribute).trim().toLowerCase() === value);
    const csp = metas('http-equiv', 'content-security-policy');
    const referrer = metas('name', 'referrer');
    const loaders = [...document.querySelectorAll('link, script, style, img, picture, video, audio, iframe, object, embed, base, image')];
    const firstLoader = loaders[0] ?? null;
    return {
      csp: csp.map((m) => ({
        content: m.getAttribute('content') ?? '',
        inHead: m.parentElement === document.head,
        beforeLoaders: !firstLoader
          || Boolean(m.compareDocumentPosition(firstLoader) & Node.DOCUMENT_POSITION_FOLLOWING),
      })),
      firstLoader: firstLoader ? firstLoader.outerHTML.replace(/\s+/g, ' ').slice(0, 160) : '',
      referrer: referrer.map((m) => ({ content: m.getAttribute('content') ?? '', inHead: m.parentElement === document.head })),
    };
  });
  const problems = [];
  if (found.csp.length !== 1) {
    problems.push({ rule: 'csp-meta-count', message: `${found.csp.length} Content-Security-Policy <meta> elements, not 1` });
  }
  for (const meta of found.csp) {
    if (!meta.inHead) problems.push({ rule: 'csp-meta-outside-head', message: 'the Content-Security-Policy <meta> is not a child of <head>' });
    if (!meta.beforeLoaders) {
      problems.push({ rule: 'csp-meta-after-loader', message: 'a <link>, <script>, <style> or media element comes before the Content-Security-Policy <meta>', html: found.firstLoader });
    }
    problems.push(...policyProblems(meta.content));
    policies.add(meta.content);
  }
  if (found.referrer.length !== 1 || found.referrer[0].content.trim().toLowerCase() !== 'no-referrer' || !found.referrer[0].inHead) {
    problems.push({
      rule: 'referrer-meta',
      message: `expected one <meta name="referrer" content="no-referrer"> in <head>, found ${JSON.stringify(found.referrer.map((r) => r.content))}`,
    });
  }
  return problems;
}

// What the site's policy must say: no script but the site's files and none inline, no eval,
// everything loaded from the site alone, nothing embedded, no <base>, forms to the site.
// `style-src-attr 'unsafe-inline'` is the one inline allowance (content's checked `style`
// attributes); every other source is 'self' or 'none'.
function policyProblems(policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources.map((s) => s.toLowerCase()));
  }
  const problems = [];
  const expect = (name, wanted) => {
    const sources = directives.get(name);
    if (!sources || sources.join(' ') !== wanted) {
      problems.push({ rule: 'csp-too-weak', message: `${name} is ${sources ? `"${sources.join(' ')}"` : 'missing'}, not "${wanted}"` });
    }
  };
  expect('default-src', "'none'");
  expect('script-src', "'self'");
  for (const name of ['style-src', 'img-src', 'font-src', 'media-src', 'form-action']) expect(name, "'self'");
  expect('object-src', "'none'");
  expect('base-uri', "'none'");
  for (const [name, sources] of directives) {
    for (const source of sources) {
      const allowed = source === "'self'" || source === "'none'"
        || (name === 'style-src-attr' && source === "'unsafe-inline'");
      if (!allowed) problems.push({ rule: 'csp-too-weak', message: `${name} allows ${source}` });
    }
  }
  return problems;
}

// Listens, in every page, for what the Content-Security-Policy refuses, and hands each
// refusal to the audit through a binding (installed by Playwright, which the policy does
// not govern). Serialised by Playwright, so it must not refer to anything outside itself.
function listenForPolicyViolations() {
  document.addEventListener('securitypolicyviolation', (event) => {
    globalThis.__auditPolicyViolation?.({
      document: event.documentURI,
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      source: event.sourceFile,
      line: event.lineNumber,
    });
  });
}

// Every refusal is a finding on the page whose document it happened in, once per page and
// directive and refused thing, with the views it was seen in.
function recordViolation(violations, pageNames, view, violation) {
  violations.count++;
  let name;
  try {
    const url = new URL(violation.document);
    name = pageNames.get(url.pathname) ?? url.pathname;
  } catch {
    name = String(violation.document);
  }
  const what = violation.blocked || 'inline';
  const key = `${name} ${violation.directive} ${what} ${violation.sample}`;
  if (!violations.issues.has(key)) {
    const where = violation.source ? ` at ${violation.source.replace(/^https?:\/\/[^/]+/, '')}:${violation.line}` : '';
    violations.issues.set(key, {
      page: name,
      message: `${violation.directive} refused ${what}${where}`,
      html: violation.sample ?? '',
      views: new Set(),
    });
  }
  violations.issues.get(key).views.add(view);
}

function reportViolations(violations, findings) {
  for (const { page, message, html, views } of violations.issues.values()) {
    findings.add('csp', { page, rule: 'csp-violation', message: `${message} (in ${[...views].sort().join(', ')})`, html });
  }
}

// The proof that the policy is enforced at all: the home page, with the policy the site
// gives it, plus what the policy must refuse. Served at its own address beside the site;
// each refusal must be reported, or the audit's zero violations would prove nothing.
const SELF_TEST_PATH = '/__audit-policy-self-test/';
const SELF_TEST_ADDITIONS = '<script>document.title = "inline script ran";</script>'
  + '<style>body { outline: 5px solid red; }</style>'
  + '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">'
  + '<img src="/favicon.png" alt="" onload="document.title = \'handler ran\'">';
const SELF_TEST_EXPECTED = ['script-src-elem', 'style-src-elem', 'img-src', 'script-src-attr'];

async function selfTestPage(siteDir) {
  const home = await readFile(path.join(siteDir, 'index.html'), 'utf8');
  if (!/<\/body>/i.test(home)) throw new Error('the home page has no </body>');
  return home.replace(/<\/body>/i, `${SELF_TEST_ADDITIONS}</body>`);
}

// Returns how many refusals the self-test page caused.
async function checkPolicyEnforced(context, origin, findings) {
  return findings.guard('csp self-test', { page: SELF_TEST_PATH }, async () => {
    const page = await context.newPage();
    const seen = [];
    await page.exposeBinding('__auditPolicyViolation', (_source, violation) => { seen.push(violation); });
    await page.goto(origin + SELF_TEST_PATH, { waitUntil: 'load' });
    // Violation reports are queued tasks: give them a moment past the load event.
    await page.waitForTimeout(500);
    const title = await page.title();
    const directives = new Set(seen.map((v) => v.directive));
    for (const directive of SELF_TEST_EXPECTED) {
      if (!directives.has(directive)) {
        findings.add('csp self-test', { page: SELF_TEST_PATH, rule: 'csp-not-enforced', message: `nothing was refused under ${directive}; refused: ${[...directives].join(', ') || 'nothing'}` });
      }
    }
    if (title.endsWith(' ran')) {
      findings.add('csp self-test', { page: SELF_TEST_PATH, rule: 'csp-not-enforced', message: `the page's title became "${title}"` });
    }
    return seen.length;
  });
}

// ---------------------------------------------------------------------------------------
// Running the browser checks

// Every browser check and the view it runs in; each runs on every page, or on every
// search page.
const BROWSER_CHECKS = [
  { check: 'axe 1280px', view: 'desktop', run: checkAxe },
  { check: 'axe 320px', view: 'narrow', run: checkAxe },
  { check: 'axe dark', view: 'dark', run: checkAxe },
  { check: 'axe 320px dark', view: 'narrowDark', run: checkAxe },
  { check: 'axe menu open', view: 'narrow', run: checkAxeMenuOpen },
  { check: 'axe menu open', view: 'narrowDark', run: checkAxeMenuOpen },
  { check: 'axe print', view: 'printDesktop', run: checkAxe },
  { check: 'axe print', view: 'printNarrow', run: checkAxe },
  { check: 'axe print', view: 'printDark', run: checkAxe },
  { check: 'first screen 320px', view: 'narrow', run: checkFirstScreen },
  { check: 'menu bar 1280px', view: 'desktop', run: checkMenuBar },
  { check: 'ruby in the accessibility tree', view: 'desktop', run: checkRuby },
  { check: 'reflow 320px', view: 'narrow', run: checkReflow },
  { check: 'reflow 200% text', view: 'largeText', run: checkReflow },
  { check: 'text spacing', view: 'desktop', run: checkTextSpacing },
  { check: 'text spacing', view: 'narrow', run: checkTextSpacing },
  { check: 'keyboard', view: 'desktop', run: checkKeyboard },
  { check: 'keyboard', view: 'narrow', run: checkKeyboard },
  { check: 'policy meta', view: 'desktop', run: checkPolicyMeta },
  { check: 'media', view: 'desktop', run: checkMedia },
  { check: 'search with script', view: 'typed', run: checkSearchWithScript, searchPagesOnly: true },
  { check: 'search with script', view: 'typedNarrow', run: checkSearchWithScript, searchPagesOnly: true },
  { check: 'search without script', view: 'noScript', run: checkSearchWithoutScript, searchPagesOnly: true },
  { check: 'search without script', view: 'noScriptNarrow', run: checkSearchWithoutScript, searchPagesOnly: true },
];

// A worker's browser tabs, one per view, each loaded afresh for every check. Reusing a tab
// keeps its renderer warm, several times faster than a new tab per check; and tabs are
// not closed during the audit, because closing one whose page navigated by itself can
// stall Chromium for a minute and break its context.
class Tabs {
  constructor({ contexts, origin, network, violations, pageNames }) {
    this.contexts = contexts;
    this.origin = origin;
    this.network = network;
    this.violations = violations;
    this.pageNames = pageNames;
    this.open = {};
  }

  async get(viewKey) {
    this.open[viewKey] ??= await this.openTab(viewKey);
    return this.open[viewKey];
  }

  async openTab(viewKey) {
    const page = await this.contexts[viewKey].newPage();
    const fontSizes = VIEWS[viewKey].fontSizes;
    if (fontSizes) {
      const cdp = await this.contexts[viewKey].newCDPSession(page);
      await cdp.send('Page.setFontSizes', { fontSizes });
    }
    if (VIEWS[viewKey].media) await page.emulateMedia({ media: VIEWS[viewKey].media });
    const tab = { page, current: null };
    watchNetwork(tab, this.origin, this.network);
    await page.exposeBinding('__auditPolicyViolation', (_source, violation) => {
      recordViolation(this.violations, this.pageNames, VIEWS[viewKey].label, violation);
    });
    // Without script the page's listener cannot run: the refusals are read from the
    // messages Chromium writes to the console instead.
    if (VIEWS[viewKey].contextOptions.javaScriptEnabled === false) {
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() !== 'error' || !text.includes('Content Security Policy')) return;
        recordViolation(this.violations, this.pageNames, VIEWS[viewKey].label, {
          document: page.url(),
          directive: text.match(/directive: "([^"\s]+)/)?.[1] ?? 'a directive',
          blocked: text.match(/'([^']+)'/)?.[1] ?? '',
          sample: text.slice(0, 160),
        });
      });
    }
    return tab;
  }

  // A check that failed may have left its tab stuck: the next check gets a new one, and
  // whatever the old one still does is no longer recorded.
  discard(viewKey) {
    if (this.open[viewKey]) this.open[viewKey].current = null;
    delete this.open[viewKey];
  }
}

// Loads the page in the check's view and hands it to the check.
async function runBrowserCheck({ task, tabs, origin, findings, shared }) {
  const { page: sitePage, check, view: viewKey, run } = task;
  const where = { page: sitePage.name, view: VIEWS[viewKey].label };
  const note = (id, state) => shared.record.note(sitePage.name, id, state);
  const body = async () => {
    const tab = await tabs.get(viewKey);
    tab.current = { sitePage, where };
    const load = async () => {
      await tab.page.goto(origin + sitePage.url, { waitUntil: 'load' });
      await tab.page.evaluate(() => document.fonts.ready);
    };
    await load();
    await assertView(tab.page, viewKey);
    const problems = await run(tab.page, { ...shared, reload: load, sitePage, origin, note });
    for (const p of problems) findings.add(check, { ...where, ...p });
    for (const own of OWN_CHECKS.filter((c) => c.from?.check === check)) {
      note(own.id, problems.some((p) => ownCheckOf(check, p.rule) === own) ? 'fail' : 'pass');
    }
    task.stops = problems.stops ?? 0;
    task.rubies = problems.rubies ?? 0;
    task.stats = problems.stats;
    return true;
  };
  const ran = await findings.guard(check, where, () => withTimeout(body(), CHECK_TIMEOUT_MS, `${check} on ${sitePage.name}`));
  if (!ran) tabs.discard(viewKey);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Any request to another host is a privacy finding; a local request that fails is a broken
// page. The page itself is expected to answer with its own status (404 for the 404 page).
// Every view loads the same page, so each address is reported once per page, with the
// views it was seen in.
function watchNetwork(tab, origin, network) {
  const note = (rule, url, message) => {
    const { sitePage, where } = tab.current;
    const key = `${sitePage.name} ${rule} ${url}`;
    if (!network.issues.has(key)) network.issues.set(key, { page: sitePage.name, rule, message, views: new Set() });
    network.issues.get(key).views.add(where.view);
  };
  tab.page.on('request', (request) => {
    const url = request.url();
    if (!tab.current || url.startsWith('data:') || url.startsWith('about:')) return;
    network.requests++;
    if (new URL(url).origin !== origin) {
      network.offSite++;
      note('off-site-request', url, url);
    }
  });
  tab.page.on('response', (response) => {
    if (!tab.current || !response.url().startsWith(origin)) return;
    const request = response.request();
    const isPage = request.isNavigationRequest() && request.frame() === tab.page.mainFrame();
    const ok = isPage ? response.status() === tab.current.sitePage.status : response.status() < 400;
    if (!ok) {
      network.failed++;
      note('failed-request', response.url(), `${response.status()} ${response.url().slice(origin.length)}`);
    }
  });
  tab.page.on('requestfailed', (request) => {
    if (!tab.current || !request.url().startsWith(origin)) return;
    // A request the browser gave up on itself (the tab went on to the next page while
    // an icon was still loading) is not the site's failure: a missing file answers 404.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    network.failed++;
    note('failed-request', request.url(), `${request.failure()?.errorText} ${request.url().slice(origin.length)}`);
  });
}

function reportNetwork(network, findings) {
  for (const { page, rule, message, views } of network.issues.values()) {
    findings.add('network', { page, rule, message: `${message} (in ${[...views].sort().join(', ')})` });
  }
}

// Runs the tasks on `limit` workers, each with its own state from `makeState`.
async function runPool(items, limit, makeState, work) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    const state = makeState();
    while (next < items.length) await work(items[next++], state);
  }));
}

async function newContexts(browser) {
  const contexts = {};
  for (const [key, view] of Object.entries(VIEWS)) {
    contexts[key] = await browser.newContext(view.contextOptions);
    await contexts[key].addInitScript(installPageHelpers);
    await contexts[key].addInitScript(listenForPolicyViolations);
  }
  return contexts;
}

async function screenshotHome(contexts, origin, file) {
  const page = await contexts.desktop.newPage();
  await page.goto(origin + '/', { waitUntil: 'load' });
  await mkdir(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}

// ---------------------------------------------------------------------------------------
// Checks on the files

// The site must work without JavaScript: no script element, inline handler or
// javascript: address in any HTML file, with one exception. A page with the search form
// may carry the search's own script, once, exactly as
//   <script src="/_search/search-<hash>.js" defer></script>
// (or a relative address of that file; the hash is its content's, see src/fingerprint.rs): a file of the site that exists, nothing inline,
// no other attribute. Any other script, a second one, or one on another page is a finding.
// Returns how many pages carry the search's script.
const SEARCH_SCRIPT = /^<script src="((?:\/|(?:\.\.\/)+)?_search\/search-[0-9a-f]{16}\.js)" defer><\/script>/;

function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function checkNoScript(htmlFiles, siteDir, findings) {
  const patterns = [
    { rule: 'script-element', re: /<script\b[^>]*>/gi },
    { rule: 'inline-event-handler', re: /<[a-z][^>]*?\s(on[a-z]+\s*=)/gi },
    { rule: 'javascript-url', re: /\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/gi },
  ];
  const scripts = (await readdir(path.join(siteDir, '_search')).catch(() => []))
    .filter((f) => /^search-[0-9a-f]{16}\.js$/.test(f));
  const scriptExists = (f) => scripts.includes(f);
  let pagesWithScript = 0;
  for (const file of htmlFiles) {
    const text = await readFile(file, 'utf8');
    const name = '/' + path.relative(siteDir, file).split(path.sep).join('/');
    let allowance = SEARCH_FORM.test(text) ? 1 : 0;
    for (const { rule, re } of patterns) {
      for (const match of text.matchAll(re)) {
        const line = text.slice(0, match.index).split('\n').length;
        if (rule === 'script-element' && match[0] === '<script type="application/ld+json">') {
          // Data for search engines, which the browser never runs: JSON with no `<`, so
          // that the first `</script>` after it ends it.
          const rest = text.slice(match.index + match[0].length);
          const end = rest.indexOf('<');
          if (end >= 0 && rest.startsWith('</script>', end) && isJson(rest.slice(0, end))) continue;
          findings.add('no script', { page: name, rule: 'data-block-not-json', message: `line ${line}`, html: rest.slice(0, 160) });
          continue;
        }
        if (rule === 'script-element' && allowance > 0) {
          const search = SEARCH_SCRIPT.exec(text.slice(match.index));
          // The address, resolved from the page, must be the site's /_search/search-<hash>.js.
          const resolved = search && new URL(search[1], `http://site${name}`).pathname;
          if (search && /^\/_search\/search-[0-9a-f]{16}\.js$/.test(resolved)) {
            allowance--;
            pagesWithScript++;
            if (!scriptExists(resolved.slice('/_search/'.length))) {
              findings.add('no script', { page: name, rule: 'search-script-missing', message: `line ${line}: the site has no ${resolved}`, html: search[0] });
            }
            continue;
          }
        }
        findings.add('no script', { page: name, rule, message: `line ${line}`, html: match[0].slice(0, 160) });
      }
    }
  }
  return pagesWithScript;
}

function runJava(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// One JVM for all the files of a kind. vnu writes its JSON report to stderr and exits 1
// when it finds errors; anything else (no JSON, another exit code) means it did not run.
async function checkVnu(check, files, siteDir, findings, extraArgs) {
  await findings.guard(check, {}, async () => {
    const { code, stdout, stderr } = await runJava(['-jar', String(require('vnu-jar')), ...extraArgs, '--errors-only', '--format', 'json', ...files]);
    let report;
    try {
      report = JSON.parse(stderr);
    } catch {
      throw new Error(`vnu exited ${code} without a JSON report:\n${stderr}${stdout}`);
    }
    const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    if (code !== 0 && errors.length === 0) throw new Error(`vnu exited ${code}:\n${stderr}${stdout}`);
    for (const m of errors) {
      const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : '';
      findings.add(check, {
        page: file ? '/' + path.relative(siteDir, file).split(path.sep).join('/') : '',
        rule: m.type === 'error' ? 'error' : m.subType ?? m.type,
        message: `${m.lastLine ? `line ${m.lastLine}: ` : ''}${m.message}`,
        html: m.extract?.replace(/\s+/g, ' ').trim(),
      });
    }
  });
}

// ---------------------------------------------------------------------------------------

function summaryLines({ findings, pages, htmlFiles, cssFiles, tasks, network, violations, policies, selfTestRefusals, pagesWithScript }) {
  const line = (check, subject, noun) => {
    const { found, crashes } = findings.count(check);
    return `${check}: ${subject}, ${found} ${noun}${crashes ? `; could not run ${crashes} times` : ''}`;
  };
  const n = `${pages.length} pages`;
  const both = `${pages.length} pages at 1280px and 320px`;
  const stops = tasks.filter((t) => t.check === 'keyboard').reduce((sum, t) => sum + (t.stops ?? 0), 0);
  const rubyTasks = tasks.filter((t) => t.check === 'ruby in the accessibility tree');
  const rubies = rubyTasks.reduce((sum, t) => sum + (t.rubies ?? 0), 0);
  const rubyPages = rubyTasks.filter((t) => t.rubies > 0).length;
  const searchPages = pages.filter((p) => p.search);
  const searchBoth = `${searchPages.length} search ${searchPages.length === 1 ? 'page' : 'pages'} at 1280px and 320px`;
  const stat = (check, key) => tasks.filter((t) => t.check === check).reduce((sum, t) => sum + (t.stats?.[key] ?? 0), 0);
  const queries = [...new Set(searchPages.map((p) => `"${p.query}"`))].join(' or ');
  const viewsOf = (onlySearch) => new Set(BROWSER_CHECKS.filter((c) => Boolean(c.searchPagesOnly) === onlySearch).map((c) => c.view)).size;
  return [
    line('axe 1280px', n, 'violations'),
    line('axe 320px', n, 'violations'),
    line('axe dark', n, 'violations'),
    line('axe 320px dark', n, 'violations'),
    line('axe menu open', `${n} at 320px, light and dark`, 'violations or menu problems'),
    line('axe print', `${n} at 1280px, 320px and dark`, 'violations'),
    line('first screen 320px', n, 'problems (heading, text or consultation number below the fold)'),
    line('menu bar 1280px', n, 'problems'),
    line('ruby in the accessibility tree', `${rubies} rubies on ${rubyPages} of ${n} at 1280px`, 'problems'),
    line('reflow 320px', n, 'overflowing'),
    line('reflow 200% text', n, 'overflowing'),
    line('text spacing', both, 'clipped or overflowing'),
    line('keyboard', `${both}, ${stops} focus stops`, 'problems'),
    `network: ${network.requests} requests, ${network.offSite} off-site, ${network.failed} failed`,
    line('csp', `${pages.length} pages in ${viewsOf(false)} views and ${searchPages.length} search pages in ${viewsOf(true)} more, ${violations.count} refusals reported`, 'violations'),
    line('policy meta', `${n}, ${policies.size} distinct ${policies.size === 1 ? 'policy' : 'policies'}`, 'problems'),
    line('media', `${n}, ${stat('media', 'media')} audio or video elements and links (recorded for a person to judge)`, 'problems'),
    line('csp self-test', `${selfTestRefusals} refusals of inline script, inline style, a data: image and a handler (${SELF_TEST_EXPECTED.length} expected kinds)`, 'missing'),
    line('search with script', `${searchBoth}, ${queries || 'nothing'} typed, ${stat('search with script', 'results')} results shown, `
      + `${stat('search with script', 'indexRequests')} index files fetched, the first result reached in ${stat('search with script', 'presses')} Tab presses in all`,
    'problems (axe, reflow, keyboard; requests under network, refusals under csp)'),
    line('search without script', `${searchBoth}, ${stat('search without script', 'links')} keyword-index links, the form sent with Enter`, 'problems'),
    line('no script', `${htmlFiles.length} HTML files, ${pagesWithScript} search pages with the search's own script`, 'other scripts'),
    line('vnu html', `${htmlFiles.length} files`, 'errors'),
    line('vnu css', `${cssFiles.length} files`, 'errors'),
  ];
}

const CHECK_ORDER = ['axe 1280px', 'axe 320px', 'axe dark', 'axe 320px dark', 'axe menu open', 'axe print',
  'first screen 320px', 'menu bar 1280px', 'ruby in the accessibility tree', 'reflow 320px', 'reflow 200% text',
  'text spacing', 'keyboard', 'search with script', 'search without script', 'media', 'network', 'csp', 'policy meta', 'csp self-test', 'no script', 'vnu html', 'vnu css', 'results', 'screenshot'];

// ---------------------------------------------------------------------------------------
// The record (record.mjs)

function todayInJapan() {
  return new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
}

// Every axe rule the audit runs, with the criteria its tags name and its help in
// Japanese and English; and the audit's own checks.
function defineChecks(record) {
  const axe = require('axe-core');
  const ja = require('axe-core/locales/ja.json');
  for (const rule of axe.getRules(AXE_TAGS)) {
    record.defineCheck(`axe:${rule.ruleId}`, {
      criteria: criteriaOfTags(rule.tags),
      name: { ja: ja.rules?.[rule.ruleId]?.help ?? rule.help, en: rule.help },
    });
  }
  for (const own of OWN_CHECKS) record.defineCheck(own.id, own);
}

// The Nu HTML Checker's verdict on each tested page's file, unless it could not run.
function noteVnu(record, pages, siteDir, findings) {
  if (findings.count('vnu html').crashes) return;
  for (const page of pages) {
    const file = '/' + path.relative(siteDir, page.file).split(path.sep).join('/');
    const failed = findings.list.some((f) => f.check === 'vnu html' && f.page === file);
    record.note(page.name, 'vnu:html', failed ? 'fail' : 'pass');
  }
}

// Each language's home page: the root page and the pages its hreflang links name.
async function languageHomes(pages) {
  const home = pages.find((p) => p.name === '/');
  if (!home) return [];
  const html = await readFile(home.file, 'utf8');
  const links = [...html.matchAll(/<(?:link|a)\b[^>]*\bhreflang="[^"]+"[^>]*>/g)]
    .map((m) => m[0].match(/\bhref="([^"]+)"/)?.[1]).filter(Boolean);
  return ['/', ...links.map((href) => new URL(href, 'http://site/').pathname)];
}

// The pages the default language's home page links in its menu, by page name.
async function menuLinks(siteDir, pages) {
  const home = pages.find((p) => p.name === '/');
  if (!home) return [];
  const html = await readFile(home.file, 'utf8');
  const menu = html.match(/<nav class="main-menu"[\s\S]*?<\/nav>/)?.[0] ?? "";
  return [...menu.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1], 'http://site/').pathname);
}

// The web technologies the tested pages rely on, as their HTML shows.
async function technologiesOf(pages) {
  const found = new Set(['HTML']);
  for (const page of pages) {
    const html = await readFile(page.file, 'utf8');
    if (/<link\b[^>]*rel="?stylesheet/i.test(html)) found.add('CSS');
    if (/<script\b/i.test(html)) found.add('JavaScript');
    if (/<svg\b|\.svg["'?#]/i.test(html)) found.add('SVG');
  }
  return ['HTML', 'CSS', 'JavaScript', 'SVG'].filter((t) => found.has(t));
}

async function main() {
  const started = Date.now();
  const args = parseArgs(process.argv.slice(2));
  const siteDir = args.site;
  const files = await walk(siteDir);
  let htmlFiles = files.filter((f) => f.endsWith('.html'));
  const cssFiles = files.filter((f) => f.endsWith('.css'));
  const sitePages = pagesOf(siteDir, files);
  if (sitePages.length === 0) throw new Error(`no pages (index.html or 404.html) in ${siteDir}`);
  if (cssFiles.length === 0) throw new Error(`no CSS file in ${siteDir}`);
  await markSearchPages(sitePages);
  let pages = sitePages;
  // Recording a test: the pages the guideline asks for, drawn with a seed written down.
  const tested = todayInJapan();
  const seed = args.seed ?? Number(tested.replaceAll('-', ''));
  if (args.record) {
    pages = choosePages(sitePages, { homes: await languageHomes(sitePages), menuLinks: await menuLinks(siteDir, sitePages), seed });
    const files = new Set(pages.map((p) => p.file));
    htmlFiles = htmlFiles.filter((f) => files.has(f));
  }
  const record = new Record();
  defineChecks(record);

  const findings = new Findings();
  // The checker runs on its own cores while the browser works.
  const vnuDone = Promise.all([
    checkVnu('vnu html', htmlFiles, siteDir, findings, []),
    checkVnu('vnu css', cssFiles, siteDir, findings, ['--css']),
  ]);
  const pagesWithScript = await checkNoScript(htmlFiles, siteDir, findings);

  const server = await startServer(siteDir, { [SELF_TEST_PATH]: await selfTestPage(siteDir) });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const network = { requests: 0, offSite: 0, failed: 0, issues: new Map() };
  const violations = { count: 0, issues: new Map() };
  const policies = new Set();
  const pageNames = new Map(pages.map((p) => [p.url, p.name]));
  let selfTestRefusals = 0;
  const tools = [`axe-core ${require('axe-core/package.json').version}`,
    `Nu Html Checker (vnu-jar ${require('vnu-jar/package.json').version})`,
    `Playwright ${require('playwright-core/package.json').version}`];
  const tasks = BROWSER_CHECKS.flatMap((c) => pages.filter((p) => p.search || !c.searchPagesOnly).map((page) => ({ ...c, page })));
  try {
    const contexts = await newContexts(browser);
    const shared = { axeSource: await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'), policies, record };
    tools.unshift(`Chromium ${browser.version()}`);
    await runPool(tasks, CONCURRENCY, () => new Tabs({ contexts, origin, network, violations, pageNames }),
      (task, tabs) => runBrowserCheck({ task, tabs, origin, findings, shared }));
    selfTestRefusals = await checkPolicyEnforced(contexts.desktop, origin, findings) ?? 0;
    if (args.screenshot) {
      await findings.guard('screenshot', {}, () => screenshotHome(contexts, origin, args.screenshot));
    }
  } finally {
    await browser.close();
    server.close();
  }
  await vnuDone;
  noteVnu(record, pages, siteDir, findings);
  let compared = null;
  if (args.compare) {
    compared = await compareWithRecord(args.compare, { record, pages });
    for (const p of compared.problems) findings.add('results', p);
  }
  if (args.record) {
    await writeRecord(args.record, {
      record, tested, sitePages: sitePages.length, seed, tools,
      technologies: await technologiesOf(pages), tested_pages: pages,
    });
  }
  reportNetwork(network, findings);
  reportViolations(violations, findings);
  if (policies.size > 1) {
    findings.add('policy meta', { rule: 'csp-differs', message: `pages carry ${policies.size} different policies: ${[...policies].join(' | ')}` });
  }

  findings.print(CHECK_ORDER);
  for (const line of summaryLines({ findings, pages, htmlFiles, cssFiles, tasks, network, violations, policies, selfTestRefusals, pagesWithScript })) console.log(line);
  if (args.screenshot) console.log(`screenshot: ${findings.count('screenshot').crashes ? 'failed' : args.screenshot}`);
  if (args.record) {
    const chosen = pages.filter((p) => p.chosen).length;
    console.log(`record: ${pages.length} of ${sitePages.length} pages (${chosen} chosen, ${pages.length - chosen} at random, seed ${seed}), `
      + `${record.checks.size} checks, written to ${args.record}`);
  }
  if (compared) console.log(`results: ${compared.pages} pages of ${args.compare} compared, ${compared.problems.length} claims the site no longer bears out`);
  console.log(`time: ${Math.round((Date.now() - started) / 1000)} s`);
  const total = findings.list.length;
  console.log(total === 0 ? 'audit: PASS' : `audit: FAIL (${total} findings)`);
  return total === 0 ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(error instanceof UsageError ? error.message : error?.stack ?? error);
    console.error('audit: FAIL (the audit could not run)');
    process.exitCode = 2;
  },
);
