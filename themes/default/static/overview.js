// Overview: sort the school table by any column (click its heading). Uses data-sort
// where a cell has one (dates, warning counts), the text otherwise.
(function () {
  "use strict";
  var table = document.querySelector("table.schools");
  if (!table) return;
  var heads = table.querySelectorAll("thead th");
  var body = table.tBodies[0];
  function key(row, i) {
    var cell = row.cells[i];
    return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim().toLowerCase();
  }
  // Filter: every word typed must occur in the row (case and accents ignored).
  var filter = document.getElementById("school-filter");
  function normalize(s) { return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  if (filter) {
    filter.hidden = false;
    if (filter.labels && filter.labels[0]) filter.labels[0].hidden = false;
    filter.addEventListener("input", function () {
      var words = normalize(filter.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = normalize(row.textContent);
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
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
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      var numeric = rows.every(function (r) { return /^-?\d+$/.test(key(r, i)); });
      rows.sort(function (a, b) {
        var x = key(a, i), y = key(b, i);
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
        return descending ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
