// Score sheets: Enter and the arrow keys move between cells, values are checked as they are
// typed (with the aspect's own limits, from data attributes) and every typed mark is kept in
// localStorage the moment it is typed, then saved in the background (JSON, cell by cell) and
// shown with its state: saving, saved, waiting (offline), refused (the reason beside it) or
// stale (both values; the judge chooses). Offline, a banner counts what waits; back online the
// queue is sent in order; an ended session asks for the password in place. Reloading restores
// what was not saved. The server checks everything again; without JavaScript the form posts.
(function () {
  "use strict";

  var CACHE = "judge-pages-v1";

  function normalise(text) {
    return (text.normalize ? text.normalize("NFKC") : text).trim().replace(/[,。]/g, ".");
  }

  function columnOf(input) { return input.name.split("-")[2]; }

  function hidden(input, prefix) { return input.form.elements[prefix + input.name.slice(1)]; }

  function original(input) {
    var field = hidden(input, "o");
    return field ? field.value : "";
  }

  function version(input) {
    var field = hidden(input, "v");
    return field && /^\d+$/.test(field.value) ? parseInt(field.value, 10) : null;
  }

  function problem(input, say) {
    var text = normalise(input.value);
    if (text === "") { return ""; }
    if (!/^\d+(\.\d*)?$|^\.\d+$/.test(text)) { return say.number; }
    var value = parseFloat(text);
    if (input.getAttribute("data-kind") === "judgement") {
      return [0, 1, 2, 3].indexOf(value) === -1 ? "0-3" : "";
    }
    if (value > parseFloat(input.getAttribute("data-max"))) {
      return "≤ " + input.getAttribute("data-max");
    }
    var decimals = parseInt(input.getAttribute("data-decimals") || "3", 10);
    var places = (text.split(".")[1] || "").replace(/0+$/, "").length;
    return places > decimals ? say.decimals.replace("{n}", decimals) : "";
  }

  function setUp(form) {
    var say = JSON.parse(form.getAttribute("data-messages") || "{}");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.mark"));
    var byName = {};
    inputs.forEach(function (input) { byName[input.name.slice(2)] = input; });
    var storeKey = form.getAttribute("data-store");
    var saveUrl = form.getAttribute("data-save");
    var token = form.elements.csrf_token ? form.elements.csrf_token.value : "";
    var banner = document.getElementById("sheet-banner");
    var login = document.getElementById("sheet-login");
    var drafts = {};
    var sending = null;
    var offline = navigator.onLine === false;
    var needsLogin = false;
    var submitting = false;
    var timer = null;

    // Requests in flight: a form POST waits for them, since each answer renews the session
    // cookie and would overwrite the one carrying the POST's message.
    var busy = 0, held = false, heldBy = null;
    function send(url, options) {
      busy += 1;
      function done() {
        busy -= 1;
        if (!busy && held) {
          held = false;
          if (heldBy) { form.requestSubmit(heldBy); } else { form.requestSubmit(); }
        }
      }
      return fetch(url, Object.assign({credentials: "same-origin"}, options || {}))
        .then(function (r) { done(); return r; }, function (e) { done(); throw e; });
    }

    try { drafts = JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { drafts = {}; }

    function keep() {
      try { localStorage.setItem(storeKey, JSON.stringify(drafts)); } catch (e) { /* full */ }
      form.setAttribute("data-unsaved", Object.keys(drafts).length);
      showBanner();
    }

    function note(input, text, buttons) {
      var cell = input.parentNode;
      var p = cell.querySelector(".cell-note");
      if (!p) {
        p = document.createElement("p");
        p.className = "cell-note";
        p.setAttribute("aria-live", "polite");
        cell.appendChild(p);
      }
      p.textContent = text || "";
      (buttons || []).forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn small";
        button.textContent = b[0];
        button.addEventListener("click", b[1]);
        p.appendChild(button);
      });
      p.hidden = !text;
    }

    function show(input, state, text, buttons) {
      var cell = input.parentNode;
      ["saving", "saved", "waiting", "refused", "stale"].forEach(function (s) {
        cell.classList.toggle("state-" + s, s === state);
      });
      if (state === "saved") { cell.classList.remove("missing", "has-error"); cell.classList.add("saved"); }
      cell.setAttribute("data-state", state || "");
      note(input, text || (state && state !== "saved" && state !== "refused" && state !== "stale"
        ? say[state] : ""), buttons);
    }

    function refresh(input) {
      var cell = input.parentNode;
      cell.classList.toggle("dirty", input.value.trim() !== original(input).trim());
      var bad = problem(input, say);
      cell.classList.toggle("invalid", bad !== "");
      input.setAttribute("title", bad);
      return bad;
    }

    function showStale(name) {
      var draft = drafts[name], input = byName[name];
      var text = say.stale.replace("{current}", draft.c === "" ? "—" : draft.c).replace("{mine}", draft.v);
      show(input, "stale", text, [[say.mine, function () {
        draft.b = draft.cv; delete draft.s;
        hidden(input, "v").value = draft.cv === null ? "" : draft.cv;
        hidden(input, "o").value = draft.c;
        keep(); show(input, "waiting"); flush();
      }], [say.theirs, function () {
        input.value = draft.c;
        hidden(input, "v").value = draft.cv === null ? "" : draft.cv;
        hidden(input, "o").value = draft.c;
        delete drafts[name]; keep(); refresh(input); show(input, "saved");
      }]]);
    }

    var IDLE = 700;  // ms without a keystroke before the cell being typed in is sent
    var lastTyped = null;

    function typed(input) {
      var name = input.name.slice(2);
      var old = drafts[name];
      delete drafts[name];  // re-added at the end: the queue keeps the order typed
      if (input.value.trim() !== original(input).trim()) {
        drafts[name] = {v: input.value, b: old && old.s !== "stale" ? old.b : version(input)};
        show(input, "waiting");
      } else {
        show(input, "");
      }
      keep();
      lastTyped = {name: name, at: Date.now()};
      clearTimeout(timer);
      timer = setTimeout(flush, IDLE);
    }

    function showBanner() {
      if (!banner) { return; }
      var waiting = Object.keys(drafts).length;
      banner.hidden = !(offline && waiting) && !needsLogin;
      banner.textContent = needsLogin ? say.session : say.offline.replace("{n}", waiting);
    }

    function ready() {
      return Object.keys(drafts).filter(function (name) {
        var d = drafts[name];
        // the cell being typed in waits for a pause: half a number is not a mark
        var typing = lastTyped && lastTyped.name === name && Date.now() - lastTyped.at < IDLE;
        return byName[name] && !d.s && !typing && problem(byName[name], say) === "";
      }).slice(0, 20);
    }

    function later(delay) {
      clearTimeout(timer);
      timer = setTimeout(flush, delay);
    }

    function flush() {
      if (sending || needsLogin || submitting || held) { return; }
      var names = ready();
      if (!names.length) { cacheThisPage(); return; }
      if (navigator.onLine === false) { offline = true; showBanner(); return; }
      sending = names.map(function (name) { return {cell: name, value: drafts[name].v, version: drafts[name].b}; });
      names.forEach(function (name) { show(byName[name], "saving"); });
      var reason = form.elements.reason ? form.elements.reason.value : "";
      send(saveUrl, {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json"},
        body: JSON.stringify({cells: sending, reason: reason})
      }).then(function (response) {
        offline = false;
        return response.json().then(function (body) { return [response.status, body]; });
      }).then(function (answer) {
        var status = answer[0], body = answer[1];
        if (status === 200) {
          body.cells.forEach(function (a, i) { apply(a, sending[i].value); });
          sending = null; flush();
        } else if (status === 401) {
          sending.forEach(function (c) { show(byName[c.cell], "waiting"); });
          sending = null; askPassword();
        } else if (status === 400 && body.error === "csrf") {
          sending = null; newToken().then(flush, function () { later(10000); });
        } else {
          throw new Error(status);
        }
      }).catch(function (error) {
        offline = error instanceof TypeError || navigator.onLine === false;
        if (sending) { sending.forEach(function (c) { if (byName[c.cell]) { show(byName[c.cell], "waiting"); } }); }
        sending = null; showBanner(); later(5000);
      }).then(showBanner);
    }

    function apply(answer, sent) {
      var name = answer.cell, input = byName[name], draft = drafts[name];
      if (!input) { return; }
      if (answer.state === "saved") {
        hidden(input, "v").value = answer.version === null ? "" : answer.version;
        hidden(input, "o").value = answer.value;
        if (draft && draft.v === sent) {
          delete drafts[name];
          if (input.value === sent) { input.value = answer.value; }
          refresh(input); show(input, "saved");
        } else if (draft) {
          draft.b = answer.version;
        }
      } else if (draft && draft.v === sent && answer.state === "refused") {
        draft.s = "refused";
        show(input, "refused", answer.reason);
      } else if (draft && draft.v === sent && answer.state === "stale") {
        draft.s = "stale"; draft.c = answer.current; draft.cv = answer.version;
        showStale(name);
      }
      keep();
    }

    function tokenOf(html) {
      var field = new DOMParser().parseFromString(html, "text/html").querySelector("input[name=csrf_token]");
      return field ? field.value : "";
    }

    function newToken() {
      return send(location.href).then(function (r) { return r.text(); })
        .then(function (html) { var t = tokenOf(html); if (!t) { throw new Error("no token"); } token = t; });
    }

    function askPassword() {
      needsLogin = true; showBanner();
      if (!login) { return; }
      login.hidden = false;
      login.querySelector("input[type=password]").focus();
    }

    if (login) {
      login.addEventListener("submit", function (event) {
        event.preventDefault();
        var url = login.getAttribute("action");
        var error = login.querySelector(".error");
        send(url).then(function (r) { return r.text(); }).then(function (html) {
          var data = new FormData();
          data.append("username", login.getAttribute("data-username"));
          data.append("password", login.querySelector("input[type=password]").value);
          data.append("csrf_token", tokenOf(html));
          return send(url, {method: "POST", body: data});
        }).then(function (response) {
          if (!response.ok || /\/auth\/login/.test(response.url)) { throw new Error("login"); }
          return newToken();
        }).then(function () {
          login.hidden = true; error.hidden = true; needsLogin = false;
          login.querySelector("input[type=password]").value = "";
          showBanner(); flush();
        }).catch(function () { error.hidden = false; });
      });
    }

    function cacheThisPage() {
      if (!("caches" in window) || submitting || held) { return; }
      var assets = [location.href];
      Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet], script[src]"), function (el) {
        assets.push(el.href || el.src);
      });
      Promise.all(assets.map(function (url) {
        return send(url).then(function (response) {
          if (!response.ok || response.redirected) { throw new Error(response.status); }
          return caches.open(CACHE).then(function (cache) { return cache.put(url, response); });
        });
      })).then(function () {
        document.documentElement.setAttribute("data-sheet-cached",
          parseInt(document.documentElement.getAttribute("data-sheet-cached") || "0", 10) + 1);
      }, function () { /* offline: the last copy stays */ });
    }

    function move(input, step, sameColumn) {
      var column = columnOf(input);
      for (var i = inputs.indexOf(input) + step; i >= 0 && i < inputs.length; i += step) {
        if ((!sameColumn || columnOf(inputs[i]) === column) && !inputs[i].disabled) {
          inputs[i].focus();
          return true;
        }
      }
      return false;
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", function () { refresh(input); typed(input); });
      input.addEventListener("change", function () {  // left the cell: its mark is complete
        if (lastTyped && lastTyped.name === input.name.slice(2)) { lastTyped = null; }
        clearTimeout(timer); flush();
      });
      input.addEventListener("focus", function () { input.select(); });
      input.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey) { return; }
        var atStart = input.selectionStart === 0;
        var atEnd = input.selectionEnd === input.value.length;
        var moved = false;
        if (event.key === "Enter") { moved = true; move(input, event.shiftKey ? -1 : 1, true); }
        else if (event.key === "ArrowDown") { moved = move(input, 1, true); }
        else if (event.key === "ArrowUp") { moved = move(input, -1, true); }
        else if (event.key === "ArrowRight" && atEnd) { moved = move(input, 1, false); }
        else if (event.key === "ArrowLeft" && atStart) { moved = move(input, -1, false); }
        if (moved) { event.preventDefault(); }
      });
    });
    if (form.elements.reason) {
      form.elements.reason.addEventListener("change", function () {
        Object.keys(drafts).forEach(function (name) {
          if (drafts[name].s === "refused") { delete drafts[name].s; if (byName[name]) { show(byName[name], "waiting"); } }
        });
        keep(); flush();
      });
    }

    // What the last visit left unsaved goes back into its cells (unless the server has it).
    Object.keys(drafts).forEach(function (name) {
      var input = byName[name], draft = drafts[name];
      if (!input || input.disabled) { return; }
      if (draft.v.trim() === original(input).trim() && draft.s !== "stale") { delete drafts[name]; return; }
      input.value = draft.v;
      refresh(input);
      if (draft.s === "stale") { showStale(name); } else { delete draft.s; show(input, "waiting"); }
    });
    keep();

    form.addEventListener("submit", function (event) {
      if (busy) { event.preventDefault(); held = true; heldBy = event.submitter || null; return; }
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && (Object.keys(drafts).length || form.querySelector("td.invalid"))) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("online", function () { offline = false; showBanner(); flush(); });
    window.addEventListener("offline", function () { offline = true; showBanner(); });

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
    var first = inputs.filter(function (i) { return !i.disabled && i.value.trim() === ""; })[0];
    if (first && !document.activeElement.matches("input, textarea, select")) { first.focus(); }
    if ("serviceWorker" in navigator && form.getAttribute("data-sw")) {
      navigator.serviceWorker.register(form.getAttribute("data-sw"), {scope: form.getAttribute("data-sw-scope")})
        .then(function () { return navigator.serviceWorker.ready; }).then(flush, flush);
    } else {
      flush();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form.sheet-form"), setUp);
  });
}());
