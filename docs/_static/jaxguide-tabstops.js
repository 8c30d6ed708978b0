// Keyboard focus for scrollable blocks (jaxguide_build/themescript.py): a code block or
// output that scrolls gets tabindex 0, so a keyboard can scroll it; one that does not,
// tabindex -1. pydata-sphinx-theme measures every block at load, which lays out the whole
// page; here a block is measured when it nears the screen, and every block is measured
// the first time the reader presses Tab, before the focus moves.
"use strict";
(() => {
  const BLOCKS = [
    "pre",
    ".nboutput > .output_area",
    ".cell_output > .output",
    ".jp-RenderedHTMLCommon",
    ".pst-scrollable-table-container",
  ].join(", ");
  const measure = (block) => {
    const scrolls = block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight;
    block.tabIndex = scrolls ? 0 : -1;
  };
  const near = new Set();
  let everyBlock = false;
  const measureAll = () => {
    everyBlock = true;
    document.querySelectorAll(BLOCKS).forEach(measure);
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          near.add(entry.target);
          measure(entry.target);
        } else {
          near.delete(entry.target);
        }
      }
    },
    { rootMargin: "100% 0px" },
  );
  document.querySelectorAll(BLOCKS).forEach((block) => observer.observe(block));
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Tab" && !everyBlock) measureAll();
    },
    true,
  );
  // A new width can make a block scroll or stop scrolling.
  let timer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(() => (everyBlock ? measureAll() : near.forEach(measure)), 300);
  });
})();
