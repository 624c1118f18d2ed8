// The caller search of the log-a-call page: arrow keys move between the search box
// and its results; Enter follows the chosen result (a link), Escape goes back.
"use strict";

(function () {
  var box = document.getElementById("caller-q");
  var region = document.getElementById("caller-results");
  if (!box || !region) { return; }
  function results() { return Array.prototype.slice.call(region.querySelectorAll("[data-result]")); }
  box.addEventListener("keydown", function (event) {
    var items = results();
    if (event.key === "ArrowDown" && items.length) { event.preventDefault(); items[0].focus(); }
  });
  region.addEventListener("keydown", function (event) {
    var items = results();
    var index = items.indexOf(document.activeElement);
    if (index < 0) { return; }
    if (event.key === "ArrowDown" && index < items.length - 1) { event.preventDefault(); items[index + 1].focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? items[index - 1] : box).focus(); }
    else if (event.key === "Escape") { event.preventDefault(); box.focus(); }
  });
})();
