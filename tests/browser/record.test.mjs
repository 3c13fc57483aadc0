// The record of an accessibility test (record.mjs), without a browser:
//   node --test tests/browser/record.test.mjs
//
// The sample is the guideline's and the same for the same seed; the file written is TOML
// that reads back as it was meant; the comparison with a committed record finds a page
// that is gone and a pass that is now a failure, and nothing else.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { CHOSEN_PAGES, RANDOM_PAGES, Record, choosePages, compareWithRecord, criteriaOfTags, writeRecord } from './record.mjs';

const site = (n) => Array.from({ length: n }, (_, i) => ({ name: i === 0 ? '/' : `/p${String(i).padStart(3, '0')}/`, file: `f${i}`, status: 200 }));

test('a site of up to 40 pages is tested whole', () => {
  for (const n of [1, 13, 40]) {
    const chosen = choosePages(site(n), { homes: ['/'], menuLinks: [], seed: 1 });
    assert.equal(chosen.length, n);
    assert.deepEqual(new Set(chosen.map((p) => p.name)), new Set(site(n).map((p) => p.name)));
  }
});

test('a larger site gets 15 representative pages and 25 drawn with the seed', () => {
  const pages = site(300);
  pages[7].search = true;
  pages[9].status = 404;
  const menuLinks = ['/p050/', '/p051/', '/no-such/'];
  const one = choosePages(pages, { homes: ['/', '/p001/'], menuLinks, seed: 20261208 });
  assert.equal(one.filter((p) => p.chosen).length, CHOSEN_PAGES);
  assert.equal(one.filter((p) => !p.chosen).length, RANDOM_PAGES);
  assert.equal(new Set(one.map((p) => p.name)).size, CHOSEN_PAGES + RANDOM_PAGES);
  // Homes first, then the search and 404 pages, then the menu's pages.
  assert.deepEqual(one.slice(0, 6).map((p) => p.name), ['/', '/p001/', '/p007/', '/p009/', '/p050/', '/p051/']);
  const again = choosePages(pages, { homes: ['/', '/p001/'], menuLinks, seed: 20261208 });
  assert.deepEqual(again.map((p) => p.name), one.map((p) => p.name));
  const other = choosePages(pages, { homes: ['/', '/p001/'], menuLinks, seed: 7 });
  assert.notDeepEqual(other.filter((p) => !p.chosen).map((p) => p.name), one.filter((p) => !p.chosen).map((p) => p.name));
});

test('axe tags name success criteria, two-digit ones too', () => {
  assert.deepEqual(criteriaOfTags(['cat.color', 'wcag2aa', 'wcag143', 'wcag1410', 'best-practice']), ['1.4.3', '1.4.10']);
});

async function written(record, pages) {
  const dir = await mkdtemp(path.join(tmpdir(), 'record-'));
  const file = path.join(dir, 'accessibility-results.toml');
  await writeRecord(file, {
    record, tested: '2026-12-08', sitePages: pages.length, seed: 20261208,
    tools: ['axe-core "quoted" \\ 4'], technologies: ['HTML'], tested_pages: pages,
  });
  return file;
}

test('the file written reads back as TOML with every state and name', async () => {
  const record = new Record();
  record.defineCheck('axe:image-alt', { criteria: ['1.1.1'], name: { ja: '画像に "代替"\nテキスト', en: 'Images' } });
  record.defineCheck('vnu:html', { criteria: ['4.1.1'], name: { ja: '構文', en: 'Parsing' }, on_pass: 'met' });
  record.defineCheck('axe:unused', { criteria: [], name: { ja: '使わない', en: 'unused' } });
  const pages = [{ name: '/', chosen: true }, { name: '/en/', chosen: false }];
  record.note('/', 'axe:image-alt', 'pass');
  record.note('/', 'axe:image-alt', 'review');
  record.note('/', 'vnu:html', 'pass');
  record.note('/en/', 'axe:image-alt', 'fail');
  record.note('/en/', 'axe:image-alt', 'pass');
  const toml = parse(await readFile(await written(record, pages), 'utf8'));
  assert.equal(toml.site_pages, 2);
  assert.equal(toml.tested.toISOString().slice(0, 10), '2026-12-08');
  assert.deepEqual(toml.tools, ['axe-core "quoted" \\ 4']);
  assert.deepEqual(toml.check.map((c) => c.id), ['axe:image-alt', 'vnu:html']);
  assert.equal(toml.check[0].name.ja, '画像に "代替"\nテキスト');
  assert.equal(toml.check[1].on_pass, 'met');
  assert.deepEqual(toml.page.map((p) => [p.path, p.chosen, p.passed, p.failed, p.review]), [
    ['/', true, ['vnu:html'], [], ['axe:image-alt']],
    ['/en/', false, [], ['axe:image-alt'], []],
  ]);
});

test('the comparison finds a page gone and a pass now failed, and nothing else', async () => {
  const before = new Record();
  before.defineCheck('axe:image-alt', { criteria: ['1.1.1'], name: { en: 'Images' } });
  before.defineCheck('vnu:html', { criteria: ['4.1.1'], name: { en: 'Parsing' } });
  for (const page of ['/', '/gone/', '/en/']) {
    before.note(page, 'axe:image-alt', 'pass');
    before.note(page, 'vnu:html', 'pass');
  }
  const file = await written(before, [{ name: '/', chosen: true }, { name: '/gone/', chosen: true }, { name: '/en/', chosen: false }]);
  const now = new Record();
  now.note('/', 'axe:image-alt', 'fail');
  now.note('/', 'vnu:html', 'pass');
  now.note('/en/', 'vnu:html', 'review');
  const { problems, pages } = await compareWithRecord(file, { record: now, pages: [{ name: '/' }, { name: '/en/' }, { name: '/new/' }] });
  assert.equal(pages, 3);
  assert.deepEqual(problems.map((p) => [p.page, p.rule]), [['/', 'claimed-pass-now-fails'], ['/gone/', 'tested-page-gone']]);
  // A committed record that is not TOML is a failure of the comparison, not a pass.
  await writeFile(file, 'tested = \n');
  await assert.rejects(compareWithRecord(file, { record: now, pages: [] }));
});
