// The header search box as a combobox: while someone types, htmx fetches the best few
// results (after a pause) into the drop-down below it. ArrowDown/ArrowUp move through
// them (focus stays in the box, aria-activedescendant says which one is chosen), Enter
// opens the chosen one, Escape closes the drop-down; with nothing chosen Enter sends the
// form to the search page, as it does without JavaScript.
"use strict";

(function () {
  var box = document.querySelector("[data-search-box]");
  var panel = document.getElementById("search-suggest");
  if (!box || !panel) { return; }
  var form = box.closest("form");
  var active = -1;

  function options() { return Array.prototype.slice.call(panel.querySelectorAll("[role='option']")); }

  function choose(index) {
    var items = options();
    active = index;
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0 && items[index]) {
      box.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      box.removeAttribute("aria-activedescendant");
    }
  }

  function show(open) {
    panel.hidden = !open;
    box.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { choose(-1); }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== panel) { return; }
    choose(-1);
    show(options().length > 0 && document.activeElement === box);
  });

  box.addEventListener("keydown", function (event) {
    var items = options();
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (panel.hidden) { show(true); }
      choose(active < items.length - 1 ? active + 1 : 0);
    } else if (event.key === "ArrowUp" && items.length && !panel.hidden) {
      event.preventDefault();
      choose(active > 0 ? active - 1 : items.length - 1);
    } else if (event.key === "Enter" && !panel.hidden && items[active]) {
      event.preventDefault();
      window.location.assign(items[active].href);
    } else if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      show(false);
    }
  });
  box.addEventListener("input", function () { choose(-1); });

  // Escape from a result that was clicked into (or anywhere in the drop-down) goes back
  // to the box; leaving the search form or clicking elsewhere closes it.
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); show(false); box.focus(); }
  });
  form.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !form.contains(event.relatedTarget)) { show(false); }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { show(false); }
  });
})();
