// jaxguide's search: split a query the way the index was split.
//
// Sphinx indexes Chinese text as the words jieba cuts it into (损失函数 becomes 损失 and
// 函数), but looks a query up as whole runs of letters, so a word that jieba cut finds
// nothing. This splitter cuts each run of Chinese characters at the longest words the
// index itself holds (greedy longest match), so a query finds what the page says:
// 损失函数 is searched as 损失 + 函数, "jit编译" as jit + 编译. Other text is split as
// Sphinx does. Loaded on the search page only, before searchtools.js, which uses a
// `splitQuery` defined earlier instead of its own.
//
// It also remembers the query's words, so that `jaxguideRelevance` (called by the
// scorer, jaxguide-scorer.js) can add up how much a page is about them: the
// weights in searchweights.js, stemmed and keyed as the index is.
"use strict";

// Opened from disk (the htmlzip), the browser refuses the fetch() with which
// searchtools.js reads each result's page for a summary, one console error per result:
// there the results are listed without summaries.
if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

let jaxguideLastTerms = [];
let jaxguideLastQuery = "";

var splitQuery = (() => {
  const HAN = /\p{Script=Han}/u;
  const RUNS = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
  const LONGEST = 8; // characters: longer index terms are rare
  let vocabulary = null;

  const words = () => {
    const index = typeof Search !== "undefined" ? Search._index : null;
    if (!index) return null;
    if (!vocabulary) {
      vocabulary = new Set([...Object.keys(index.terms), ...Object.keys(index.titleterms)]);
    }
    return vocabulary;
  };

  const cut = (run, known) => {
    const pieces = [];
    for (let start = 0; start < run.length; ) {
      let end = Math.min(run.length, start + LONGEST);
      while (end > start + 1 && !known.has(run.slice(start, end))) end--;
      const piece = run.slice(start, end);
      if (known.has(piece)) pieces.push(piece); // a character the index lacks is dropped
      start = end;
    }
    return pieces;
  };

  return (query) => {
    jaxguideLastQuery = query;
    const parts = query
      .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
      .filter((part) => part);
    const known = words();
    if (!known) return parts;
    const terms = parts.flatMap((part) =>
      HAN.test(part)
        ? part.match(RUNS).flatMap((run) => (HAN.test(run) ? cut(run, known) : [run]))
        : [part],
    );
    jaxguideLastTerms = terms.length ? terms : parts;
    return jaxguideLastTerms;
  };
})();

var jaxguideRelevance = (() => {
  let byTerm = null; // term -> Map(page -> weight)
  let taught = null; // a glossary term's name -> Set of the pages that teach it
  const table = () => {
    if (!byTerm && typeof JAXGUIDE_SEARCH_WEIGHTS !== "undefined") {
      const { pages, terms } = JAXGUIDE_SEARCH_WEIGHTS;
      byTerm = new Map(
        Object.entries(terms).map(([term, rows]) => [
          term,
          new Map(rows.map(([page, weight]) => [pages[page], weight])),
        ]),
      );
      taught = new Map(
        Object.entries(JAXGUIDE_SEARCH_WEIGHTS.taught || {}).map(([name, listed]) => [
          name,
          new Set(listed.map((page) => pages[page])),
        ]),
      );
    }
    return byTerm;
  };
  // As `phrase` in jaxguide_build/searchweights.py: lower case, spaces collapsed.
  const phrase = (query) => query.toLowerCase().split(/\s+/).filter((w) => w).join(" ");
  // The same pattern as DOTTED in jaxguide_build/searchweights.py.
  const DOTTED = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g;
  const HAN = /\p{Script=Han}/u;
  // The words to weigh, each with its share: each query word (stemmed as the index is)
  // and each dotted name in full; at half weight, the shorter words inside a long
  // Chinese one (随机数密钥: 随机数, 密钥), which the index also holds and which the page
  // that teaches the long word tends to use more often.
  const keys = (weights) => {
    const stemmer = new Stemmer();
    const found = new Map();
    const add = (key, share) => found.set(key, Math.max(found.get(key) ?? 0, share));
    for (const term of jaxguideLastTerms) {
      const lower = term.toLowerCase();
      const stemmed = stemmer.stemWord(lower);
      add(weights.has(stemmed) ? stemmed : lower, 1);
      if (HAN.test(term) && term.length > 2) {
        for (let start = 0; start < term.length - 1; start++) {
          for (let end = start + 2; end < term.length + (start > 0 ? 1 : 0); end++) {
            if (weights.has(term.slice(start, end))) add(term.slice(start, end), 0.5);
          }
        }
      }
    }
    for (const name of jaxguideLastQuery.toLowerCase().match(DOTTED) || []) add(name, 1);
    return found;
  };
  let cached = { query: null, keys: null };
  return (docname) => {
    const weights = table();
    if (!weights || typeof Stemmer === "undefined") return 0;
    if (cached.query !== jaxguideLastQuery) cached = { query: jaxguideLastQuery, keys: keys(weights) };
    let total = 0;
    for (const [key, share] of cached.keys) total += share * (weights.get(key)?.get(docname) ?? 0);
    // The query is a glossary term: the page the glossary says teaches it comes first.
    if (taught.get(phrase(jaxguideLastQuery))?.has(docname)) {
      total += JAXGUIDE_SEARCH_WEIGHTS.taughtWeight;
    }
    return Math.round(total);
  };
})();
