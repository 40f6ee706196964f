// Small progressive enhancements; every page works without them.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
  window.clearTimeout(form.autosubmitTimer);
});

// A search form marked data-autosubmit searches a moment after typing stops.
document.addEventListener("input", function (event) {
  var form = event.target.form;
  if (!form || !form.hasAttribute("data-autosubmit")) {
    return;
  }
  window.clearTimeout(form.autosubmitTimer);
  form.autosubmitTimer = window.setTimeout(function () { form.submit(); }, 600);
});
