// The staff shell, on every page. Loaded as a file: the Content-Security-Policy
// allows no inline script or event handler.
"use strict";

// A <select data-submit-on-change> sends its form as soon as a choice is made
// (the language switch); without JavaScript its form's own button does it.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change")) {
    field.form.submit();
  }
});
