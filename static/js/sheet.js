// Score sheets: Enter moves down the column, changed cells are marked, values are checked as
// they are typed, and leaving with unsaved changes asks first. The server checks everything again.
(function () {
  "use strict";

  function cellsOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input.mark"));
  }

  function columnOf(input) {
    return input.name.split("-")[2];
  }

  function original(input) {
    var hidden = input.form.elements["o" + input.name.slice(1)];
    return hidden ? hidden.value : "";
  }

  function problem(input) {
    var text = input.value.trim().replace(",", ".");
    if (text === "") { return ""; }
    if (!/^\d+(\.\d*)?$|^\.\d+$/.test(text)) { return "?"; }
    var value = parseFloat(text);
    var max = parseFloat(input.getAttribute("data-max"));
    if (input.getAttribute("data-kind") === "judgement") {
      return [0, 1, 2, 3].indexOf(value) === -1 ? "0-3" : "";
    }
    return value > max ? "≤ " + input.getAttribute("data-max") : "";
  }

  function refresh(input) {
    var cell = input.parentNode;
    var dirty = input.value.trim() !== original(input).trim();
    cell.classList.toggle("dirty", dirty);
    var bad = problem(input);
    cell.classList.toggle("invalid", bad !== "");
    input.setAttribute("title", bad);
  }

  function setUp(form) {
    var inputs = cellsOf(form);
    var submitting = false;
    inputs.forEach(function (input) {
      input.addEventListener("input", function () { refresh(input); });
      input.addEventListener("focus", function () { input.select(); });
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.ctrlKey || event.metaKey) { return; }
        event.preventDefault();
        var column = columnOf(input);
        var step = event.shiftKey ? -1 : 1;
        for (var i = inputs.indexOf(input) + step; i >= 0 && i < inputs.length; i += step) {
          if (columnOf(inputs[i]) === column && !inputs[i].disabled) {
            inputs[i].focus();
            return;
          }
        }
      });
    });
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && form.querySelector("td.dirty")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    var status = form.querySelector(".sheet-status");
    function count() {
      var missing = inputs.filter(function (i) { return i.value.trim() === ""; }).length;
      status.textContent = missing
        ? status.getAttribute("data-missing").replace("{n}", missing)
        : status.getAttribute("data-full");
    }
    if (status) {
      count();
      inputs.forEach(function (input) { input.addEventListener("input", count); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.sheet-form"), setUp);
  });
}());
