// Checklists keep their state in the browser, per school, locale and item, show progress
// and can be reset. Without JavaScript the page still reads and prints; boxes just don't persist.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.dataset.school) return;
  var prefix = "handbuch:" + main.dataset.school + ":" + main.dataset.locale + ":";
  var store = null;
  try { store = window.localStorage; store.getItem(prefix); } catch (e) { store = null; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][data-task]"));
  var ids = [];
  boxes.forEach(function (b) { if (ids.indexOf(b.dataset.task) === -1) ids.push(b.dataset.task); });
  var progress = Array.prototype.slice.call(document.querySelectorAll(".checklist-progress"));
  var resets = Array.prototype.slice.call(document.querySelectorAll(".checklist-reset"));

  function isDone(id) {
    return boxes.some(function (b) { return b.dataset.task === id && b.checked; });
  }
  function update() {
    var done = ids.filter(isDone).length;
    progress.forEach(function (p) {
      // The build wrote the text for every count (0 … all done) as a JSON list.
      var texts = [];
      try { texts = JSON.parse(p.dataset.progress || "[]"); } catch (e) { texts = []; }
      if (done >= texts.length) return;
      p.textContent = texts[done];
      p.hidden = false;
    });
  }
  function set(id, checked) {
    boxes.forEach(function (b) { if (b.dataset.task === id) b.checked = checked; });
    if (store) store.setItem(prefix + id, checked ? "1" : "0");
  }
  boxes.forEach(function (box) {
    var saved = store && store.getItem(prefix + box.dataset.task);
    if (saved !== null && saved !== undefined) box.checked = saved === "1";
    box.addEventListener("change", function () { set(box.dataset.task, box.checked); update(); });
  });
  resets.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      ids.forEach(function (id) { set(id, false); if (store) store.removeItem(prefix + id); });
      update();
    });
  });
  update();
})();
