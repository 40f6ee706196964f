// Public pages are kept by shared caches, so they are the same for every visitor and carry no
// form token (web/caching.py). A form sent from one of them (the language switch) first asks the
// server for this visitor's token, which starts their session, then goes as usual. Pages with a
// token already are left alone.
(function () {
  "use strict";
  var script = document.currentScript;
  var tokenUrl = script && script.getAttribute("data-token-url");
  if (!tokenUrl) { return; }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var field = form.querySelector('input[name="csrf_token"]');
    if (event.defaultPrevented || !field || field.value) { return; }
    event.preventDefault();
    // form.submit() sends no submitter: carry the pressed button's value (the language).
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var carried = document.createElement("input");
      carried.type = "hidden";
      carried.name = submitter.name;
      carried.value = submitter.value;
      form.appendChild(carried);
    }
    fetch(tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        field.value = data.csrf_token;
        form.submit();
      })
      .catch(function () { form.submit(); });
  });
}());
