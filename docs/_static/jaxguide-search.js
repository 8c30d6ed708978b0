// jaxguide's search: split a query the way the index was split.
//
// Sphinx indexes Chinese text as the words jieba cuts it into (损失函数 becomes 损失 and
// 函数), but looks a query up as whole runs of letters, so a word that jieba cut finds
// nothing. This splitter cuts each run of Chinese characters at the longest words the
// index itself holds (greedy longest match), so a query finds what the page says:
// 损失函数 is searched as 损失 + 函数, "jit编译" as jit + 编译. Other text is split as
// Sphinx does. Loaded on the search page only, before searchtools.js, which uses a
// `splitQuery` defined earlier instead of its own.
"use strict";

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
    return terms.length ? terms : parts;
  };
})();
