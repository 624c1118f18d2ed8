// The staff shell, on every page. Loaded as a file: the Content-Security-Policy
// allows no inline script or event handler.
//
// Keyboard shortcuts (listed under "?"): Ctrl+Enter saves, "/" search, "g d" dashboard, "g c" cases,
// "g q" callback queue; on a case page "r" reply, "n" note, "a" assign to me, "m" merge.
// None of them fires while typing in a field.
"use strict";

(function () {
  var pending = "";
  var timer = null;

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function go(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) { window.location.assign(link.href); return true; }
    return false;
  }

  function focus(selector) {
    var field = document.querySelector(selector);
    if (!field) { return false; }
    var details = field.closest("details");
    if (details) { details.open = true; }
    field.focus();
    return true;
  }

  var single = {
    "/": function () {
      var box = document.querySelector("[data-search-box]");
      if (!box) { return false; }
      box.focus();
      box.select();  // typing replaces the last search
      return true;
    },
    "?": function () {
      var help = document.getElementById("shortcuts");
      if (help && !help.open) { help.showModal(); return true; }
      return false;
    },
    "r": function () { return focus("[data-reply-body]"); },
    "n": function () { return focus("#id_body"); },
    "m": function () { return go("[data-merge-link]"); },
    "a": function () {
      var button = document.querySelector("[data-assign-to-me]");
      if (button) { button.click(); return true; }
      return false;
    },
  };
  var afterG = {
    "d": function () { return go("[data-shortcut='g d']"); },
    "c": function () { return go("[data-shortcut='g c']"); },
    "q": function () { return go("[data-shortcut='g q']"); },
  };

  document.addEventListener("keydown", function (event) {
    // Ctrl+Enter saves: the form being typed in, else the page's main form.
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var form = (event.target.closest && event.target.closest("form[method='post']"))
        || document.querySelector("form[data-ctrl-enter]");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    // Alt+N: log a call, from anywhere (the link's accesskey, where a browser has none).
    if (event.altKey && !event.ctrlKey && (event.key === "n" || event.key === "N")) {
      if (go("a[accesskey='n']")) { event.preventDefault(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var key = event.key;
    if (pending === "g") {
      pending = "";
      clearTimeout(timer);
      if (afterG[key] && afterG[key]()) { event.preventDefault(); }
      return;
    }
    if (key === "g") {
      pending = "g";
      timer = setTimeout(function () { pending = ""; }, 1500);
      return;
    }
    if (single[key] && single[key]()) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-dialog]");
    if (close) { close.closest("dialog").close(); }
    var open = event.target.closest("[data-open-shortcuts]");
    if (open) { document.getElementById("shortcuts").showModal(); }
  });
})();

// After earlier timeline entries load, keyboard focus goes to the first of them
// (the button that loaded them is gone).
document.addEventListener("htmx:afterSwap", function (event) {
  if (!event.detail.elt || !event.detail.elt.matches || !event.detail.elt.matches("li")) { return; }
  var first = event.detail.target && event.detail.target.parentNode
    ? document.querySelector("#timeline > li:not(.timeline-earlier)") : null;
  if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
});

// After a form comes back with errors, focus goes to the first field in error: the
// screen reader reads its label and the error (aria-describedby), and the keyboard
// is where the fix is needed. A closed <details> around it is opened first.
document.addEventListener("DOMContentLoaded", function () {
  var bad = document.querySelector("form [aria-invalid='true']");
  if (!bad) { return; }
  var details = bad.closest("details");
  if (details) { details.open = true; }
  var holder = bad.closest("[hidden]");
  if (holder) { holder.hidden = false; }
  bad.focus();
  var status = document.getElementById("form-status");
  if (status) {
    var label = bad.labels && bad.labels.length ? bad.labels[0].textContent.trim() : "";
    status.textContent = (status.dataset.prefix || "") + " " + label;
  }
});

// The callback time is asked only when a callback is: its field shows once "caller asks to
// be called back" is ticked or the outcome is "callback requested", so the usual call has
// one time field (when it started) in its Tab order, not two.
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("[data-callback-only]"), function (holder) {
    var form = holder.closest("form");
    var ticked = form.querySelector("input[name$='callback_requested']");
    var outcome = form.querySelector("select[name$='outcome']");
    var field = holder.querySelector("input");
    function update() {
      var needed = (ticked && ticked.checked) || (outcome && outcome.value === "callback")
        || (field && field.value) || holder.querySelector("[aria-invalid='true']");
      holder.hidden = !needed;
    }
    if (ticked) { ticked.addEventListener("change", update); }
    if (outcome) { outcome.addEventListener("change", update); }
    update();
  });
});

// The manager's "More" menu in the header (a <details>: Enter or Space opens it). Escape
// closes it and puts focus back on it; a click or focus elsewhere closes it too.
(function () {
  function each(callback) {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-nav-more][open]"), callback);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    each(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  function outside(event) {
    each(function (menu) { if (!menu.contains(event.target)) { menu.open = false; } });
  }
  document.addEventListener("click", outside);
  document.addEventListener("focusin", outside);
})();
