// Live board for venue screens: fetches the board JSON every `data-refresh` seconds and cycles
// through the latest published trades and the medal table every `data-cycle` seconds, without
// reloading the page. Text is set with textContent only.
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) { return; }
  var url = root.getAttribute("data-url");
  var refreshMs = Math.max(5, parseInt(root.getAttribute("data-refresh"), 10) || 30) * 1000;
  var cycleMs = Math.max(4, parseInt(root.getAttribute("data-cycle"), 10) || 12) * 1000;
  var slides = [];
  var current = 0;
  var etag = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function table(headings, rows, numeric) {
    var t = el("table", "board-table");
    var head = el("tr");
    headings.forEach(function (h, i) { head.appendChild(el("th", numeric[i] ? "num" : "", h)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr", row.cls || "");
      row.cells.forEach(function (c, i) { tr.appendChild(el("td", numeric[i] ? "num" : "", c)); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  function build(data) {
    var L = data.labels;
    var made = [];
    data.trades.forEach(function (trade) {
      var slide = el("section", "board-slide");
      var h = el("h2", "", trade.name);
      if (trade.amended) { h.appendChild(el("span", "tag", L.amended)); }
      slide.appendChild(h);
      slide.appendChild(table(
        [L.place, L.name, L.delegation, L.total, L.award],
        trade.entrants.map(function (e) {
          return { cls: e.tier ? "tier-" + e.tier : "", cells: [e.place, e.name, e.delegation, e.total, e.award] };
        }),
        [true, false, false, true, false]));
      made.push(slide);
    });
    if (data.medals.length) {
      var slide = el("section", "board-slide");
      slide.appendChild(el("h2", "", L.medals));
      slide.appendChild(table(
        [L.rank, L.delegation, L.gold, L.silver, L.bronze, L.total],
        data.medals.map(function (m) {
          return { cells: [m.rank, m.name, m.gold, m.silver, m.bronze, m.total] };
        }),
        [true, false, true, true, true, true]));
      made.push(slide);
    }
    if (!made.length) { made.push(el("p", "board-waiting", L.waiting)); }
    return made;
  }

  function show() {
    if (!slides.length) { return; }
    current = current % slides.length;
    root.replaceChildren(slides[current]);
  }

  function load() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error(response.status); }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        var stamp = document.getElementById("board-updated");
        if (stamp) { stamp.textContent = new Date().toLocaleTimeString(document.documentElement.lang || undefined); }
        if (data) { slides = build(data); show(); }
      })
      .catch(function () { /* keep showing the last data; try again at the next refresh */ });
  }

  load();
  window.setInterval(load, refreshMs);
  window.setInterval(function () { current += 1; show(); }, cycleMs);
}());
