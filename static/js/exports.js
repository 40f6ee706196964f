// Progress of a background job (a batch of certificates, a large import): polls the job's JSON
// every second and moves the counter and the bar; once the job is done or failed, reloads the
// page, which then shows the outcome (the download, the import's summary, the retry button).
// Without JavaScript the page refreshes itself while the job runs. Text is set with textContent.
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root) { return; }
  var url = root.getAttribute("data-url");
  var byId = function (id) { return document.getElementById(id); };

  function show(state) {
    byId("job-done").textContent = String(state.done);
    byId("job-total").textContent = String(state.total);
    var bar = byId("job-bar");
    bar.max = Math.max(1, state.total);
    bar.value = state.done;
    return state.status === "done" || state.status === "failed";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && show(state)) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  var status = root.getAttribute("data-status");
  if (status !== "done" && status !== "failed") { poll(); }
}());
