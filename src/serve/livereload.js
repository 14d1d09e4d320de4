// Live reload and error overlay for `barometre serve`.
//
// Served from memory at /__barometre/livereload.js and referenced only from the pages that
// `serve` sends (it adds the <script> tag on the fly): the output of `build` never holds it.
// The server streams its state (build number, errors) as server-sent events; a new build
// number reloads the page, errors show over the page (which stays the last good build).
(function () {
  "use strict";
  var seen = null;
  var box = null;

  function overlay(text) {
    if (!text) {
      if (box) {
        box.remove();
        box = null;
      }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "barometre-serve-errors";
      box.setAttribute("dir", "ltr");
      box.setAttribute("lang", "en");
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5rem;" +
        "background:rgba(20,20,20,.94);color:#fafafa;font:14px/1.45 ui-monospace,monospace;" +
        "text-align:left;direction:ltr";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-weight:bold";
    title.textContent =
      "barometre serve: the last change does not build. The page below is the last good build.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    pre.textContent = text;
    box.appendChild(title);
    box.appendChild(pre);
  }

  function connect() {
    var source = new EventSource("/__barometre/events");
    source.addEventListener("state", function (event) {
      var state = JSON.parse(event.data);
      if (seen !== null && state.build !== seen) {
        location.reload();
        return;
      }
      seen = state.build;
      overlay(state.errors);
    });
  }

  if (document.body) {
    connect();
  } else {
    document.addEventListener("DOMContentLoaded", connect);
  }
})();
