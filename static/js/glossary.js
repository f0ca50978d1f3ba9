// A word explained in place: a term marked on a page (glossary/marking.py) shows its
// definition on tap or click, on hover, and from the keyboard (Enter or Space; Escape
// closes). Without this script the term is a link to its entry on the glossary page, and
// screen readers read the definition as the link's description either way.
(function () {
  "use strict";
  let pinned = null;

  function definitionOf(term) {
    return document.getElementById(term.getAttribute("aria-describedby"));
  }

  function show(term) {
    const definition = definitionOf(term);
    if (!definition) return;
    definition.hidden = false;
    term.setAttribute("aria-expanded", "true");
    // Kept within the screen: moved left by as much as it would stick out.
    definition.style.left = "0";
    const overflow = definition.getBoundingClientRect().right - (window.innerWidth - 8);
    if (overflow > 0) definition.style.left = -overflow + "px";
  }

  function hide(term) {
    const definition = definitionOf(term);
    if (!definition) return;
    definition.hidden = true;
    term.setAttribute("aria-expanded", "false");
    if (pinned === term) pinned = null;
  }

  document.querySelectorAll("a[data-glossary-term]").forEach(function (term) {
    term.setAttribute("role", "button");
    term.setAttribute("aria-expanded", "false");
    const wrapper = term.parentElement;

    term.addEventListener("click", function (event) {
      event.preventDefault();
      if (pinned === term) {
        hide(term);
        return;
      }
      if (pinned) hide(pinned);
      pinned = term;
      show(term);
    });
    term.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        term.click();
      }
    });
    // Hover: shown while the pointer is on the term or its definition (so it can be read).
    wrapper.addEventListener("mouseenter", function () {
      show(term);
    });
    wrapper.addEventListener("mouseleave", function () {
      if (pinned !== term) hide(term);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll('a[data-glossary-term][aria-expanded="true"]').forEach(hide);
  });
  document.addEventListener("click", function (event) {
    if (pinned && !pinned.parentElement.contains(event.target)) hide(pinned);
  });
})();
