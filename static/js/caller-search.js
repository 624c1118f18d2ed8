// The caller search of the log-a-call page: arrow keys move between the search box
// and its results; Enter follows the chosen result (a link), Escape goes back.
// What is typed in the box travels with the form: a phone number or an email address
// nobody was found for fills the new caller's fields (unless typed there already), and
// the search stays as typed when the form comes back with an error.
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

  var form = document.querySelector("form.call-form");
  if (!form) { return; }
  var carried = form.querySelector("input[name='q']");
  var targets = {
    number: form.querySelector("input[name='number']"),
    email: form.querySelector("input[name='caller_email']"),
  };
  // A field the user typed in themselves is theirs: the search no longer fills it.
  Object.keys(targets).forEach(function (kind) {
    var field = targets[kind];
    if (field) { field.addEventListener("input", function () { field.dataset.typed = "1"; }); }
  });
  function kindOf(text) {
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) { return "email"; }
    var digits = text.replace(/\D/g, "");
    if (/^[+()\d\s.\-]+$/.test(text) && digits.length >= 6) { return "number"; }
    return "";
  }
  function carry(initial) {
    var text = box.value.trim();
    if (carried) { carried.value = text; }
    var kind = kindOf(text);
    Object.keys(targets).forEach(function (other) {
      var field = targets[other];
      if (!field || field.dataset.typed || (initial === true && field.value)) { return; }
      if (other === kind) { field.value = text; field.dataset.carried = "1"; }
      else if (field.dataset.carried) { field.value = ""; delete field.dataset.carried; }
    });
  }
  box.addEventListener("input", carry);
  if (box.value) { carry(true); }
})();
