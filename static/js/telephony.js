// The caller on screen: Alt+O opens the log-a-call form of the call in the pop-up.
// Loaded as a file: the Content-Security-Policy allows no inline script.
"use strict";

document.addEventListener("keydown", function (event) {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyO") {
    return;
  }
  var link = document.querySelector("#ringing [data-call-take]");
  if (link) {
    event.preventDefault();
    link.click();
  }
});
