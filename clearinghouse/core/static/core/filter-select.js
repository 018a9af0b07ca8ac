/*
 * Type-to-filter for long pick lists (countries, languages, currencies).
 *
 * Progressive enhancement of a plain <select> (single or multiple) marked data-filterable:
 * without JavaScript the select works as it is; with it, a search box above it hides the
 * options whose label does not contain what was typed (accents and case ignored); in a
 * multiple select the options already chosen stay visible, a single select takes the first
 * match when nothing matching is chosen. Own code rather than a library: the accessible,
 * well-kept ones (alphagov's accessible-autocomplete) enhance single selects only, and the
 * multi-select ones (tom-select, choices.js) replace the native control with a heavy widget
 * that sets inline styles the Content-Security-Policy refuses. Loaded as a file (no inline
 * script), only by forms with such a select; direction follows the page (works in Arabic).
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase();
  }

  function enhance(select) {
    if (select.dataset.filterReady) {
      return;
    }
    select.dataset.filterReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-filter";
    box.id = select.id + "_filter";
    box.setAttribute("aria-label", select.dataset.filterLabel || "");
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("autocomplete", "off");
    box.placeholder = select.dataset.filterLabel || "";
    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (option) {
      return fold(option.text + " " + option.value);
    });
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      var first = null;
      options.forEach(function (option, index) {
        var kept = select.multiple && option.selected;
        var shown = !wanted || kept || option.value === "" || folded[index].indexOf(wanted) !== -1;
        option.hidden = !shown;
        if (shown && first === null && option.value !== "") {
          first = option;
        }
      });
      // A single choice follows the filter: the first match is chosen as the list narrows.
      if (!select.multiple && wanted && first !== null) {
        var current = select.options[select.selectedIndex];
        if (!current || current.hidden || current.value === "") {
          first.selected = true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
    box.addEventListener("keydown", function (event) {
      // Enter in the filter must not submit the form; it moves to the list instead.
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
    select.parentNode.insertBefore(box, select);
  }

  function start() {
    document.querySelectorAll("select[data-filterable]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
