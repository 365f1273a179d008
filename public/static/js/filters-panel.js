/* Phone first: on a narrow screen the filter panel of a list (details.filters, served open)
   is folded behind its summary « Filtres (n) », so the results come first; on a wide screen
   it stays open. Loaded right after the panel, so it folds before the page is first drawn.
   Without JavaScript the panel is simply open: every filter still works. */
(function () {
  "use strict";
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  if (!narrow) return;
  var panels = document.querySelectorAll("details.filters[data-fold-narrow]");

  function fit() {
    for (var i = 0; i < panels.length; i++) {
      panels[i].open = !narrow.matches;
    }
  }

  fit();
  // Turning a phone or resizing a window across the breakpoint follows the layout.
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  } else if (narrow.addListener) {
    narrow.addListener(fit);
  }
})();
