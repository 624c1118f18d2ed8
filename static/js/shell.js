// The staff shell, on every page. Loaded as a file: the Content-Security-Policy
// allows no inline script or event handler.
"use strict";
