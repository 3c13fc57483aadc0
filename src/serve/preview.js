// The preview's reload script, served by `yorisoi serve` at /__yorisoi/preview.js and
// never part of the published site. A file rather than inline script, so that it runs
// under the pages' Content-Security-Policy (script-src 'self'; connect-src 'self').
//
// The page was served at the generation in this script's own address (?since=N); the
// event stream says "reload" once a newer build is shown.
"use strict";
(function () {
  var script = document.currentScript;
  var since = script ? new URL(script.src).searchParams.get("since") : null;
  var events = new EventSource(
    "/__yorisoi/events?since=" + encodeURIComponent(since || "0")
  );
  events.onmessage = function () {
    events.close();
    location.reload();
  };
})();
