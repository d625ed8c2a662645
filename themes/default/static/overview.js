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
