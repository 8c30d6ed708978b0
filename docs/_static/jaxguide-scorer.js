// jaxguide's search ranking: Sphinx's default weights, plus two rules.
// 1. Among pages that all hold the query's words, the page about them comes first:
//    each result gains the weights of the query's words in its page
//    (searchweights.js, written by jaxguide_build/searchweights.py; added up by
//    `jaxguideRelevance` in jaxguide-search.js). When the query is a glossary term,
//    the page the glossary says teaches it gains more than any word's weight.
// 2. A glossary entry (an anchor "#term-...") only names a term; the page that teaches
//    it should be listed first. Sphinx scores a glossary term's index entry up to 100
//    (100 × the matched share of the term), so glossary entries are capped below a
//    partial match in a page title.
var Scorer = {
  score: (result) => {
    const [docname, , anchor, , score] = result;
    if (anchor && anchor.startsWith("#term-")) return Math.min(score, 5);
    return typeof jaxguideRelevance === "function" ? score + jaxguideRelevance(docname) : score;
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
