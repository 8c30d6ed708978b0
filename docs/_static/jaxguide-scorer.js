// jaxguide's search ranking: Sphinx's default weights, plus one rule. A glossary
// entry (an anchor "#term-...") only names a term; the page that teaches it should
// be listed first, so glossary entries rank below matches in page titles.
var Scorer = {
  score: (result) => {
    const [, , anchor, , score] = result;
    return anchor && anchor.startsWith("#term-") ? score - 10 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
