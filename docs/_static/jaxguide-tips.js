// Glossary tips (jaxguide_build/glossarytips.py): Esc hides the tip of the term under
// the pointer or in focus, as WCAG 1.4.13 asks, until the pointer or focus leaves it.
"use strict";
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const term of document.querySelectorAll(".jaxguide-term:hover, .jaxguide-term:focus-within")) {
    term.classList.add("jaxguide-tip-closed");
  }
});
for (const leave of ["mouseleave", "focusout"]) {
  document.addEventListener(
    leave,
    (event) => event.target.closest?.(".jaxguide-term")?.classList.remove("jaxguide-tip-closed"),
    true,
  );
}
