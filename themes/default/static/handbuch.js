// Checklists keep their state in the browser, per school, locale and item.
// Without JavaScript the page still reads and prints; boxes just don't persist.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.school) return;
  var prefix = "handbuch:" + main.dataset.school + ":" + main.dataset.locale + ":";
  var store = null;
  try { store = window.localStorage; store.getItem(prefix); } catch (e) { store = null; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][data-task]"));
  function sync(id, checked) {
    boxes.forEach(function (b) { if (b.dataset.task === id) b.checked = checked; });
  }
  boxes.forEach(function (box) {
    var saved = store && store.getItem(prefix + box.dataset.task);
    if (saved !== null && saved !== undefined) box.checked = saved === "1";
    box.addEventListener("change", function () {
      sync(box.dataset.task, box.checked);
      if (store) store.setItem(prefix + box.dataset.task, box.checked ? "1" : "0");
    });
  });
})();
