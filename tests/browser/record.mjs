// The audit's record of an accessibility test, for the site's test-results page (試験結果).
//
// audit.mjs --record FILE tests the pages the guideline asks for (みんなの公共サイト運用
// ガイドライン: every page of a site of up to 40; else at least 15 representative pages and
// 25 drawn at random, with the seed written down) and writes, for each page, the checks it
// passed, failed, or left to a person, with the success criteria each check bears on. The
// generator reads the file (content/accessibility-results.toml) and builds the page from it.
//
// audit.mjs --compare FILE audits the site as it is now and fails when the committed
// record claims a pass that the site now fails, or names a page the site no longer has.

import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';

export const ALL_PAGES_UP_TO = 40;
export const CHOSEN_PAGES = 15;
export const RANDOM_PAGES = 25;

// axe-core's tags for success criteria: wcag111 is 1.1.1, wcag1410 is 1.4.10.
export function criteriaOfTags(tags) {
  return tags.flatMap((tag) => {
    const m = /^wcag(\d)(\d)(\d{1,2})$/.exec(tag);
    return m ? [`${m[1]}.${m[2]}.${m[3]}`] : [];
  });
}

// The audit's own checks that bear on success criteria: which findings (check and rule)
// fail each, and what passing it on every tested page says (on_pass). A check that
// decides nothing alone is evidence for a person.
export const OWN_CHECKS = [
  {
    id: 'media:none', criteria: ['1.2.1', '1.2.2', '1.2.3', '1.2.4', '1.2.5', '1.4.2'], on_pass: 'not-applicable',
    name: { ja: 'ページに音声・映像（audio、video、埋め込み、音声・動画ファイルへのリンク）がない', en: 'The page has no audio or video (audio, video, embedded objects, links to audio or video files)' },
  },
  {
    id: 'vnu:html', from: { check: 'vnu html' }, criteria: ['4.1.1'], on_pass: 'met',
    name: { ja: 'Nu HTML Checker で HTML の構文エラーがない', en: 'The Nu HTML Checker finds no error in the HTML' },
  },
  {
    id: 'reflow:200%-text', from: { check: 'reflow 200% text' }, criteria: ['1.4.4'],
    name: { ja: '文字を200%にしても、内容がはみ出したり横にスクロールしたりしない', en: 'At 200% text size, nothing overflows and the page does not scroll sideways' },
  },
  {
    id: 'reflow:320px', from: { check: 'reflow 320px' }, criteria: ['1.4.10'],
    name: { ja: '幅320ピクセルで、横にスクロールせずに読める', en: 'At 320 px wide, the page reads without scrolling sideways' },
  },
  {
    id: 'text-spacing', from: { check: 'text spacing' }, criteria: ['1.4.12'],
    name: { ja: '行間・文字間隔を広げても、文字が欠けない', en: 'With wider line, letter and word spacing, no text is cut off' },
  },
  {
    id: 'keyboard:skip-link', from: { check: 'keyboard', rules: ['skip-link-not-first', 'skip-link-href', 'skip-link-hidden', 'skip-link-target'] }, criteria: ['2.4.1'],
    name: { ja: '最初の Tab で本文へのスキップリンクに移り、使うと本文に移る', en: 'The first Tab reaches a skip link, which moves to the main content' },
  },
  {
    id: 'keyboard:no-trap', from: { check: 'keyboard', rules: ['focus-trap'] }, criteria: ['2.1.2'],
    name: { ja: 'Tab キーでページの最後まで進め、途中で抜け出せなくならない', en: 'Tab moves through the whole page without getting stuck' },
  },
  {
    id: 'keyboard:focus-visible', from: { check: 'keyboard', rules: ['no-focus-indicator', 'focus-outside-view'] }, criteria: ['2.4.7'],
    name: { ja: 'フォーカスのある場所に、2ピクセル以上の枠が見え、画面の中にある', en: 'The focused element shows an outline of 2 px or more, inside the view' },
  },
  {
    id: 'keyboard:focus-not-obscured', from: { check: 'keyboard', rules: ['focus-obscured'] }, criteria: ['2.4.11'],
    name: { ja: 'フォーカスのある場所が、固定された要素に隠れない', en: 'The focused element is not hidden behind fixed content' },
  },
];

// Which recorded check a finding fails, if any.
export function ownCheckOf(check, rule) {
  return OWN_CHECKS.find((c) => c.from && c.from.check === check && (!c.from.rules || c.from.rules.includes(rule)));
}

// Per page, per check: 'pass', 'fail' or 'review', merged over the views a check runs in
// (a failure in any view fails it; a pass needs no failure and nothing left to review).
export class Record {
  constructor() {
    this.pages = new Map();
    this.checks = new Map();
  }

  defineCheck(id, { criteria, name, on_pass }) {
    if (!this.checks.has(id)) this.checks.set(id, { id, criteria, name, on_pass });
  }

  note(page, id, state) {
    if (!this.pages.has(page)) this.pages.set(page, new Map());
    const states = this.pages.get(page);
    const rank = { pass: 0, review: 1, fail: 2 };
    const before = states.get(id);
    if (before === undefined || rank[state] > rank[before]) states.set(id, state);
  }

  state(page, id) {
    return this.pages.get(page)?.get(id);
  }
}

// A small seeded generator (mulberry32): the same seed draws the same pages anywhere.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The pages to test: every page of a small site; else the representative ones (each
// language's home, then search and 404 pages, then what the default language's menu
// links, then the other languages' menus) and a seeded random draw from the rest.
export function choosePages(pages, { homes, menuLinks, seed }) {
  const byName = new Map(pages.map((p) => [p.name, p]));
  if (pages.length <= ALL_PAGES_UP_TO) return pages.map((p) => ({ ...p, chosen: true }));
  const order = [
    ...homes.map((name) => byName.get(name)).filter(Boolean),
    ...pages.filter((p) => p.search),
    ...pages.filter((p) => p.status === 404),
    ...menuLinks.map((name) => byName.get(name)).filter(Boolean),
    ...pages,
  ];
  const chosen = [];
  for (const p of order) {
    if (chosen.length >= CHOSEN_PAGES) break;
    if (!chosen.includes(p)) chosen.push(p);
  }
  const rest = pages.filter((p) => !chosen.includes(p)).sort((a, b) => a.name.localeCompare(b.name));
  const next = random(seed);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const drawn = rest.slice(0, RANDOM_PAGES);
  return [...chosen.map((p) => ({ ...p, chosen: true })), ...drawn.map((p) => ({ ...p, chosen: false }))];
}

// A TOML basic string: JSON's escapes are all TOML's too.
const str = (s) => JSON.stringify(String(s));
const list = (items) => `[${items.map(str).join(', ')}]`;

export async function writeRecord(file, { record, tested, sitePages, seed, tools, technologies, tested_pages }) {
  const lines = [
    '# The accessibility test of the site, as the browser audit recorded it: written by',
    '#   node tests/browser/audit.mjs --site DIR --record content/accessibility-results.toml',
    '# Do not edit it by hand; test again instead. People\'s judgements, which no machine',
    '# check can make, go in accessibility-judgements.toml.',
    `tested = ${tested}`,
    `site_pages = ${sitePages}`,
    `seed = ${seed}`,
    `tools = ${list(tools)}`,
    `technologies = ${list(technologies)}`,
  ];
  const used = new Set();
  for (const states of record.pages.values()) for (const id of states.keys()) used.add(id);
  const checks = [...record.checks.values()].filter((c) => used.has(c.id)).sort((a, b) => a.id.localeCompare(b.id));
  for (const c of checks) {
    lines.push('', '[[check]]', `id = ${str(c.id)}`, `criteria = ${list(c.criteria)}`);
    if (c.on_pass) lines.push(`on_pass = ${str(c.on_pass)}`);
    for (const [lang, text] of Object.entries(c.name)) lines.push(`name.${lang} = ${str(text)}`);
  }
  for (const page of tested_pages) {
    const states = record.pages.get(page.name) ?? new Map();
    const ids = (state) => checks.filter((c) => states.get(c.id) === state).map((c) => c.id);
    lines.push('', '[[page]]', `path = ${str(page.name)}`, `chosen = ${page.chosen}`,
      `passed = ${list(ids('pass'))}`, `failed = ${list(ids('fail'))}`, `review = ${list(ids('review'))}`);
  }
  await writeFile(file, lines.join('\n') + '\n');
}

// What the committed record claims that the audit just run does not bear out.
export async function compareWithRecord(file, { record, pages }) {
  const committed = parseToml(await readFile(file, 'utf8'));
  const names = new Set(pages.map((p) => p.name));
  const problems = [];
  for (const page of committed.page ?? []) {
    if (!names.has(page.path)) {
      problems.push({ page: page.path, rule: 'tested-page-gone', message: `${file} lists ${page.path}, which the site no longer has` });
      continue;
    }
    for (const id of page.passed ?? []) {
      if (record.state(page.path, id) === 'fail') {
        problems.push({ page: page.path, rule: 'claimed-pass-now-fails', message: `${file} records that ${page.path} passed ${id}; it fails now` });
      }
    }
  }
  return { problems, pages: (committed.page ?? []).length };
}
