// While a model trains, re-read the training page every 3 seconds and show its new progress (no page reload).
(function () {
  "use strict";
  function refresh() {
    var job = document.getElementById("job");
    if (!job || job.getAttribute("data-running") !== "true") { return; }
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job");
        if (fresh) { job.replaceWith(fresh); }
      })
      .finally(function () { window.setTimeout(refresh, 3000); });
  }
  window.setTimeout(refresh, 3000);
})();
