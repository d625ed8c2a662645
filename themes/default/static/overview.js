// Overview: filter the schools and sort them by any column (click its heading), over ALL
// schools. The page holds one page of rows; with more schools than that, every school's
// row is in data chunks (overview/data-<k>.js) that are loaded, as scripts, on the first
// filter or sort: `fetch` does not work from file://, and the chunks call
// handbuchOverview(k, data) to hand over their rows. Results are shown a page at a time.
(function () {
  "use strict";
  var table = document.querySelector("table.schools");
  if (!table) return;
  var heads = table.querySelectorAll("thead th");
  var body = table.tBodies[0];
  var chunks = Number(table.dataset.chunks) || 0;
  var pageRows = Number(table.dataset.pageRows) || 200;
  var root = table.dataset.root || "";
  var status = document.querySelector(".overview-status");
  var more = document.querySelector("button.more-rows");
  var pager = document.querySelector("nav.pager");
  var filter = document.getElementById("school-filter");
  var collator = new Intl.Collator(document.documentElement.lang);

  function normalize(s) { return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }

  // A school: its sort keys (one per column), the text the filter searches, its row.
  function fromRow(tr) {
    var keys = Array.prototype.map.call(tr.cells, function (cell) {
      return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
    });
    return { keys: keys, text: normalize(tr.textContent), tr: tr };
  }
  function cell(tr, text) {
    var td = tr.insertCell();
    if (text !== undefined) td.textContent = text;
    return td;
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = root + href;
    a.textContent = text;
    return a;
  }
  function countSpan(kind, n) {
    var span = document.createElement("span");
    span.className = "count count-" + kind;
    span.setAttribute("aria-hidden", "true");
    span.textContent = String(n);
    return span;
  }
  // The same markup as the page's rows (templates/overview.html).
  function buildRow(r, texts) {
    var tr = document.createElement("tr");
    tr.id = "school-" + r[0];
    var name = cell(tr);
    if (r[8].length) name.appendChild(link(r[8][0][1], r[1])); else name.textContent = r[1];
    cell(tr, r[2]);
    cell(tr, r[3]);
    var date = cell(tr, r[5] === null ? table.dataset.unknown : r[5]);
    date.dataset.sort = r[4] === null ? "9999-99-99" : r[4];
    var counts = cell(tr);
    counts.className = "counts";
    counts.dataset.sort = String(r[6][0] * 1000000 + r[6][1] * 1000 + r[6][2]);
    counts.title = texts[r[7]];
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = texts[r[7]];
    counts.append(hidden, countSpan("danger", r[6][0]), " ", countSpan("warning", r[6][1]), " ", countSpan("note", r[6][2]));
    var handbooks = cell(tr);
    r[8].forEach(function (h, i) {
      if (i) handbooks.append(" · ");
      var a = link(h[1], h[0].toUpperCase());
      a.hreflang = h[0];
      handbooks.appendChild(a);
    });
    return tr;
  }
  function fromData(r, texts) {
    var locales = r[8].map(function (h) { return h[0].toUpperCase(); }).join(" · ");
    var display = r[5] === null ? table.dataset.unknown : r[5];
    var record = {
      keys: [r[1].toLowerCase(), r[2].toLowerCase(), r[3].toLowerCase(), r[4] === null ? "9999-99-99" : r[4],
        String(r[6][0] * 1000000 + r[6][1] * 1000 + r[6][2]), locales.toLowerCase()],
      text: normalize([r[1], r[2], r[3], display, texts[r[7]], r[6].join(" "), locales].join(" ")),
      tr: null
    };
    record.row = function () { return record.tr || (record.tr = buildRow(r, texts)); };
    return record;
  }

  // Every school, once known: the page's own rows, or all chunks once they are loaded.
  var records = null;
  var loading = false;
  var waiting = [];
  var parts = [];
  window.handbuchOverview = function (k, data) {
    parts[k - 1] = data.rows.map(function (r) { return fromData(r, data.texts); });
  };
  function withRecords(then) {
    if (records) return then();
    waiting.push(then);
    if (chunks === 0) {
      records = Array.prototype.map.call(body.rows, fromRow);
      waiting.splice(0).forEach(function (f) { f(); });
      return;
    }
    if (loading) return;
    loading = true;
    if (status) status.textContent = status.dataset.loading;
    var left = chunks;
    for (var k = 1; k <= chunks; k++) {
      var script = document.createElement("script");
      script.src = table.dataset.prefix + k + ".js";
      // A missing chunk leaves out its schools; the rest still work.
      script.onload = script.onerror = function () {
        left -= 1;
        if (left > 0) return;
        records = [].concat.apply([], parts.filter(Boolean));
        if (pager) pager.hidden = true;
        waiting.splice(0).forEach(function (f) { f(); });
      };
      document.head.appendChild(script);
    }
  }

  // What is shown: the schools matching the filter, in the chosen order, `shown` at a time.
  var sortColumn = -1;
  var descending = false;
  var shown = pageRows;
  function show() {
    var words = filter ? normalize(filter.value).split(/\s+/).filter(Boolean) : [];
    var matches = records.filter(function (r) {
      return words.every(function (w) { return r.text.indexOf(w) !== -1; });
    });
    if (sortColumn >= 0) {
      var i = sortColumn;
      var numeric = matches.every(function (r) { return /^-?\d+$/.test(r.keys[i]); });
      // Array.prototype.sort is stable: equal keys keep the overview's order.
      matches.sort(function (a, b) {
        var x = a.keys[i], y = b.keys[i];
        var c = numeric ? Number(x) - Number(y) : collator.compare(x, y);
        return descending ? -c : c;
      });
    }
    var rows = chunks === 0 ? matches : matches.slice(0, shown);
    body.replaceChildren.apply(body, rows.map(function (r) { return r.tr || r.row(); }));
    if (more) more.parentNode.hidden = rows.length >= matches.length;
    if (status && (chunks > 0 || words.length)) status.textContent = status.dataset.matches + " " + matches.length;
    else if (status) status.textContent = "";
  }

  if (filter) {
    filter.hidden = false;
    if (filter.labels && filter.labels[0]) filter.labels[0].hidden = false;
    filter.addEventListener("input", function () {
      shown = pageRows;
      withRecords(show);
    });
  }
  if (more) {
    more.addEventListener("click", function () {
      shown += pageRows;
      show();
    });
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      sortColumn = i;
      shown = pageRows;
      withRecords(show);
    });
  });
})();
