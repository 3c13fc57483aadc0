// The site search, on the search page only: the site's own script, loading nothing but
// the site's own index. Terms are made as src/search_terms.rs makes them in the build;
// a test runs both on the same texts. Everything shown is put in as text, never as markup.
"use strict";

function isKanji(c) {
  const n = c.codePointAt(0);
  return (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
    (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x3134f);
}

function isJapanese(c) {
  const n = c.codePointAt(0);
  return (n >= 0x3005 && n <= 0x3007) || (n >= 0x3041 && n <= 0x309f) ||
    (n >= 0x30a1 && n <= 0x30fa) || (n >= 0x30fc && n <= 0x30ff) ||
    (n >= 0x31f0 && n <= 0x31ff) || isKanji(c);
}

const WORD_CHARACTER = /^[\p{Alphabetic}\p{N}]$/u;

function isWordCharacter(c) {
  return WORD_CHARACTER.test(c) && !isJapanese(c);
}

// NFKC, lower case, katakana as hiragana.
function normalize(text) {
  let out = "";
  for (const c of text.normalize("NFKC").toLowerCase()) {
    const n = c.codePointAt(0);
    out += n >= 0x30a1 && n <= 0x30f6 ? String.fromCodePoint(n - 0x60) : c;
  }
  return out;
}

function stem(word) {
  if (!/^[a-z]+$/.test(word)) return word;
  if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
  if (word.length > 3 && word.endsWith("s") &&
      !(word.endsWith("ss") || word.endsWith("us") || word.endsWith("is"))) {
    return word.slice(0, -1);
  }
  return word;
}

// Calls term(text, run) for every term of normalized text; run is the Japanese run or
// the word (before its plural's s is taken off) the term comes from.
function forEachTerm(normalized, term) {
  const chars = Array.from(normalized);
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (isJapanese(c)) {
      let j = i + 1;
      while (j < chars.length && isJapanese(chars[j])) j++;
      const run = chars.slice(i, j).join("");
      if (isKanji(c)) term(c, run, false);
      for (let k = i + 1; k < j; k++) {
        term(chars[k - 1] + chars[k], run, false);
        if (isKanji(chars[k])) term(chars[k], run, false);
      }
      if (j === i + 1 && !isKanji(c)) term(c, run, false);
      i = j;
    } else if (isWordCharacter(c)) {
      let j = i + 1;
      while (j < chars.length && isWordCharacter(chars[j])) j++;
      const word = chars.slice(i, j).join("");
      term(stem(word), word, true);
      i = j;
    } else {
      i++;
    }
  }
}

function terms(text) {
  const all = [];
  forEachTerm(normalize(text), (t) => all.push(t));
  return all;
}

function fileKey(term) {
  const chars = Array.from(term);
  if (chars.length > 0 && isJapanese(chars[0])) return term;
  return chars.slice(0, 3).join("");
}

function fileOf(term, files) {
  let hash = 0x811c9dc5;
  for (const b of new TextEncoder().encode(fileKey(term))) {
    hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
  }
  return hash % Math.max(files, 1);
}

function own(object, key) {
  return object !== null && Object.prototype.hasOwnProperty.call(object, key);
}

// One language's index, read a file at a time. `load(path)` gives a file's JSON.
class SearchIndex {
  constructor(load) {
    this.load = load;
    this.meta = null;
    this.files = new Map();
    this.pages = new Map();
    this.pairs = null;
  }

  // Each file is asked for once, even by lookups running at the same time: the
  // request is kept before anything is awaited.
  summary() {
    if (!this.meta) this.meta = this.load("index.json", true);
    return this.meta;
  }

  file(n) {
    if (!this.files.has(n)) {
      this.files.set(n, this.summary().then((meta) => this.load(`t/${n}.json?v=${meta.stamp}`, false)));
    }
    return this.files.get(n);
  }

  readings() {
    if (!this.pairs) {
      this.pairs = this.summary().then((meta) => this.load(`readings.json?v=${meta.stamp}`, false));
    }
    return this.pairs;
  }

  page(n) {
    if (!this.pages.has(n)) {
      this.pages.set(n, this.summary().then((meta) => this.load(`d/${n}.json?v=${meta.stamp}`, false)));
    }
    return this.pages.get(n);
  }

  // The pages holding every term of the query, best first: [{page, score}], and what to
  // mark in their text. A word still being typed (the query's last, of three or more
  // letters, with nothing after it) is matched as the start of words.
  async search(query) {
    const normalized = normalize(query);
    const wanted = new Map();
    const needles = new Map();
    // In a run of two characters or more, its pairs say all its kanji say, and every
    // other pair (with the last) covers every character: a kanji alone is looked up
    // only when it is the whole run (県, 市), and a long word loads half its pairs' files.
    let pairAt = 0;
    let lastRun = null;
    forEachTerm(normalized, (term, run, isWord) => {
      if (!isWord) {
        const length = Array.from(term).length;
        if (length === 1 && term.length < run.length) return;
        if (run !== lastRun) {
          lastRun = run;
          pairAt = 0;
        }
        if (length === 2) {
          const pairs = Array.from(run).length - 1;
          const at = pairAt++;
          if (at % 2 === 1 && at !== pairs - 1) return;
        }
      }
      wanted.set(term, false);
      needles.set(isWord ? term : run, isWord);
    });
    if (wanted.size === 0) return { pages: [], needles: [] };
    const chars = Array.from(normalized);
    if (isWordCharacter(chars[chars.length - 1])) {
      let last = null;
      forEachTerm(normalized, (term, run, isWord) => { last = isWord ? term : null; });
      if (last !== null && Array.from(last).length >= 3) wanted.set(last, true);
    }
    const meta = await this.summary();
    const total = meta.pages;
    const lists = await Promise.all([...wanted].map(async ([term, typing]) => {
      const file = await this.file(fileOf(term, meta.files));
      const scores = new Map();
      // A longer word the typed letters start counts for the square of their share of
      // it: weaker evidence than the word itself, so that a page named by the word
      // typed ("access") comes before one that names a longer word it starts
      // ("accessibility").
      const add = (list, share) => {
        for (let k = 0; k + 1 < list.length; k += 2) {
          scores.set(list[k], Math.max(scores.get(list[k]) || 0, list[k + 1] * share));
        }
      };
      if (typing) {
        for (const key of Object.keys(file)) {
          if (key.startsWith(term)) add(file[key], (term.length / key.length) ** 2);
        }
      } else if (own(file, term)) {
        add(file[term], 1);
      }
      const idf = Math.log(1 + (total - scores.size + 0.5) / (scores.size + 0.5));
      return { scores, idf };
    }));
    lists.sort((a, b) => a.scores.size - b.scores.size);
    const found = [];
    for (const [page] of lists[0].scores) {
      let score = 0;
      let everywhere = true;
      for (const list of lists) {
        const s = list.scores.get(page);
        if (s === undefined) { everywhere = false; break; }
        score += s * list.idf;
      }
      if (everywhere) found.push({ page, score });
    }
    found.sort((a, b) => b.score - a.score || a.page - b.page);
    // A run of kana may have found kanji through their reading: the kanji are marked.
    const kana = [...needles].filter(([text, word]) => !word && !Array.from(text).some(isKanji));
    if (kana.length > 0 && found.length > 0) {
      for (const [base, reading] of await this.readings()) {
        if (kana.some(([run]) => reading.includes(run) || run.includes(reading))) needles.set(base, false);
      }
    }
    return { pages: found, needles: [...needles].map(([text, word]) => ({ text, word })) };
  }
}

// The text around the first match, as [text, marked] pieces, at most `length`
// characters. A Japanese needle is marked where its run is written (the kanji a kana
// query found through their reading are needles too); a word needle marks the words
// whose terms start with it (`family` marks "Families").
function excerpt(doc, needles, length) {
  const text = doc.text;
  let folded = "";
  const from = [];
  let at = 0;
  for (const c of text) {
    const n = normalize(c);
    for (let k = 0; k < n.length; k++) from.push(at);
    folded += n;
    at += c.length;
  }
  from.push(text.length);
  const runs = new Set();
  const words = new Set();
  for (const { text: needle, word } of needles) {
    if (needle.length > 0) (word ? words : runs).add(needle);
  }
  const spans = [];
  for (const needle of runs) {
    let i = folded.indexOf(needle);
    while (i >= 0) {
      spans.push([from[i], from[i + needle.length]]);
      i = folded.indexOf(needle, i + needle.length);
    }
  }
  if (words.size > 0) {
    const chars = Array.from(folded);
    let offset = 0;
    let k = 0;
    while (k < chars.length) {
      if (!isWordCharacter(chars[k])) {
        offset += chars[k].length;
        k++;
        continue;
      }
      let j = k;
      let end = offset;
      while (j < chars.length && isWordCharacter(chars[j])) end += chars[j++].length;
      const term = stem(chars.slice(k, j).join(""));
      for (const needle of words) {
        if (term.startsWith(needle)) {
          spans.push([from[offset], from[end]]);
          break;
        }
      }
      offset = end;
      k = j;
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const first = spans.length > 0 ? spans[0][0] : 0;
  // A match near the end shows the text before it.
  let start = Math.max(0, Math.min(first - Math.floor(length / 4), text.length - length));
  // An excerpt starts at a word, where the text has spaces between words.
  const space = start > 0 ? text.indexOf(" ", start) : -1;
  if (space >= 0 && space - start < 16 && space < first) start = space + 1;
  const end = Math.min(text.length, start + length);
  const pieces = [];
  if (start > 0) pieces.push(["…", false]);
  let cursor = start;
  for (const [s, e] of spans) {
    if (e <= cursor || s >= end) continue;
    const ms = Math.max(s, cursor);
    const me = Math.min(e, end);
    if (ms > cursor) pieces.push([text.slice(cursor, ms), false]);
    pieces.push([text.slice(ms, me), true]);
    cursor = me;
  }
  if (cursor < end) pieces.push([text.slice(cursor, end), false]);
  if (end < text.length) pieces.push(["…", false]);
  return pieces;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (all, key) => (own(values, key) ? String(values[key]) : all));
}

const PAGE_SIZE = 10;
const EXCERPT_LENGTH = 110;

function start() {
  const form = document.getElementById("search-form");
  if (!form) return;
  const input = document.getElementById("search-q");
  const area = document.getElementById("search-results-area");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const words = form.dataset;
  const base = new URL(words.index, document.baseURI);
  const index = new SearchIndex(async (path, fresh) => {
    const response = await fetch(new URL(path, base), {
      cache: fresh ? "no-cache" : "default",
      credentials: "same-origin",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) throw new Error(`${response.status}`);
    return response.json();
  });
  let shown = null;
  let generation = 0;
  let timer = 0;

  async function showMore() {
    if (!shown) return;
    const mine = generation;
    const next = shown.result.pages.slice(shown.count, shown.count + PAGE_SIZE);
    const docs = await Promise.all(next.map((p) => index.page(p.page)));
    if (mine !== generation) return;
    for (const doc of docs) {
      if (!doc) continue;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = doc.url;
      link.textContent = doc.title;
      const title = document.createElement("p");
      title.className = "search-result-title";
      title.append(link);
      item.append(title);
      if (doc.section) {
        const section = document.createElement("p");
        section.className = "search-result-section";
        section.textContent = doc.section;
        item.append(section);
      }
      const text = document.createElement("p");
      text.className = "search-result-excerpt";
      for (const [raw, marked] of excerpt(doc, shown.result.needles, EXCERPT_LENGTH)) {
        // Lines of the page (paragraphs, list items) run on in one excerpt.
        const piece = raw.replace(/\n/g, " ");
        if (marked) {
          const mark = document.createElement("mark");
          mark.textContent = piece;
          text.append(mark);
        } else {
          text.append(piece);
        }
      }
      item.append(text);
      list.append(item);
    }
    shown.count += next.length;
    more.hidden = shown.count >= shown.result.pages.length;
  }

  async function run(query) {
    const mine = ++generation;
    const trimmed = query.trim();
    const url = new URL(window.location.href);
    if (trimmed) url.searchParams.set("q", trimmed); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!trimmed) {
      area.hidden = true;
      list.replaceChildren();
      shown = null;
      return;
    }
    try {
      const result = await index.search(trimmed);
      if (mine !== generation) return;
      area.hidden = false;
      list.replaceChildren();
      shown = { result, count: 0 };
      await showMore();
      if (mine !== generation) return;
      const count = result.pages.length;
      status.textContent = fill(count > 0 ? words.found : words.none, { query: trimmed, count });
    } catch (e) {
      if (mine !== generation) return;
      area.hidden = false;
      list.replaceChildren();
      more.hidden = true;
      status.textContent = words.failed;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run(input.value);
  });
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => run(input.value), 250);
  });
  more.addEventListener("click", () => {
    const before = list.children.length;
    showMore().then(() => {
      const first = list.children[before];
      const link = first && first.querySelector("a");
      if (link) link.focus();
    });
  });
  const asked = new URL(window.location.href).searchParams.get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}

if (typeof module !== "undefined") {
  module.exports = { normalize, terms, fileOf, SearchIndex, excerpt };
}
