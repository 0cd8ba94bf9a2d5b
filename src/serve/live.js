// Served by `briefing serve` only: reloads the page after every rebuild.
(function () {
  "use strict";
  var source = new EventSource("/__briefing/events");
  source.addEventListener("reload", function () {
    window.location.reload();
  });
})();
