// jaxguide's search ranking: Sphinx's default weights, plus one rule. A glossary
// entry (an anchor "#term-...") only names a term; the page that teaches it should
// be listed first. Sphinx scores a glossary term's index entry up to 100 (100 × the
// matched share of the term), so glossary entries are capped below a partial match in
// a page title.
var Scorer = {
  score: (result) => {
    const [, , anchor, , score] = result;
    return anchor && anchor.startsWith("#term-") ? Math.min(score, 5) : score;
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
