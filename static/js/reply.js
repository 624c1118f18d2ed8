// The reply box: canned answers by typing "::" and a short name (then Tab, space or
// Enter), or from the list with a preview. The texts come filled in for this case
// from the page itself (a JSON data block), so inserting one costs no request.
"use strict";

// While the reply box holds more than it started with, the presence line says
// "writing": colleagues on the same case see it at their next report.
(function () {
  var body = document.querySelector("[data-reply-body]");
  var flag = document.querySelector("[data-presence-writing]");
  if (!body || !flag) { return; }
  var start = body.value;
  body.addEventListener("input", function () {
    var writing = body.value.trim() !== start.trim() ? "1" : "";
    if (writing !== flag.value) {
      flag.value = writing;
      document.body.dispatchEvent(new CustomEvent("presence-changed"));
    }
  });
})();

(function () {
  var data = document.getElementById("canned-answers");
  var body = document.querySelector("[data-reply-body]");
  if (!data || !body) { return; }
  var answers = {};
  JSON.parse(data.textContent).forEach(function (a) { answers[a.short_name] = a; });
  var choice = document.querySelector("[data-canned-choice]");
  var preview = document.querySelector("[data-canned-preview]");
  var insert = document.querySelector("[data-canned-insert]");

  function put(text, from, to) {
    body.setRangeText(text, from, to, "end");
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  }

  body.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" && event.key !== " " && event.key !== "Enter") { return; }
    if (event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var caret = body.selectionStart;
    if (caret !== body.selectionEnd) { return; }
    var match = /(^|\s)::([\w-]+)$/.exec(body.value.slice(0, caret));
    if (!match || !answers[match[2]]) { return; }
    event.preventDefault();
    put(answers[match[2]].text, caret - match[2].length - 2, caret);
  });

  if (choice && preview) {
    choice.addEventListener("change", function () {
      var answer = answers[choice.value];
      preview.textContent = answer ? answer.text : "";
    });
  }
  if (insert && choice) {
    insert.addEventListener("click", function () {
      var answer = answers[choice.value];
      if (answer) { put(answer.text, body.selectionStart, body.selectionEnd); }
    });
  }
})();
