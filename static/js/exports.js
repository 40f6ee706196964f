// Progress of a batch of certificates: polls the job's JSON every second until it is done or
// failed, then shows the download link (or the error). Text is set with textContent only.
(function () {
  "use strict";
  var root = document.getElementById("job");
  if (!root) { return; }
  var url = root.getAttribute("data-url");
  var labels = {
    running: root.getAttribute("data-printing"),
    done: root.getAttribute("data-done"),
    failed: root.getAttribute("data-failed")
  };
  var byId = function (id) { return document.getElementById(id); };

  function show(state) {
    byId("job-done").textContent = String(state.done);
    byId("job-total").textContent = String(state.total);
    var bar = byId("job-bar");
    bar.max = Math.max(1, state.total);
    bar.value = state.done;
    if (labels[state.status]) { byId("job-status").textContent = labels[state.status]; }
    if (state.error) {
      byId("job-error").textContent = state.error;
      byId("job-error").hidden = false;
    }
    if (state.download) {
      var link = byId("job-download");
      link.href = state.download;
      link.hidden = false;
    }
    return state.status === "done" || state.status === "failed";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || !show(state)) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  var status = root.getAttribute("data-status");
  if (status !== "done" && status !== "failed") { poll(); }
}());
