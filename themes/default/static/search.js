// Search across all handbooks: the schools' index (assets/search-<lang>.js) is loaded as a
// script on first use, so it works from file:// as well as from a web server; a handbook
// page adds its own steps, embedded as JSON in <script id="search-steps">. Matching is a
// plain scan: every word typed must occur in a school's or step's text (case and accents
// ignored).
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var input = box.querySelector("input");
  var list = box.querySelector(".search-results");
  var root = box.dataset.root || "";
  var docs = null;
  input.hidden = false;

  function normalize(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function load(then) {
    if (docs) return then();
    var script = document.createElement("script");
    script.src = box.dataset.index;
    // Without the schools' index (a missing file) the page's own steps are still searched.
    script.onload = script.onerror = function () {
      docs = (window.HANDBUCH_SEARCH || []).concat(pageSteps()).map(function (d) {
        d.haystack = normalize(d.title + " " + d.text);
        return d;
      });
      then();
    };
    document.head.appendChild(script);
  }
  // This page's steps: the numbers and text the page shows.
  function pageSteps() {
    var data = document.getElementById("search-steps");
    if (!data) return [];
    try {
      var steps = JSON.parse(data.textContent);
      return Array.isArray(steps) ? steps : [];
    } catch (e) {
      return [];
    }
  }
  function url(doc) {
    if (doc.kind === "school") return root + doc.url;
    // Steps are anchors of the handbook page currently shown.
    return document.getElementById(doc.url.slice(1)) ? doc.url : null;
  }
  function show() {
    var words = normalize(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) return;
    var hits = docs.filter(function (d) {
      return url(d) && words.every(function (w) { return d.haystack.indexOf(w) !== -1; });
    });
    hits.sort(function (a, b) { return (a.kind === "school" ? 0 : 1) - (b.kind === "school" ? 0 : 1); });
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = box.dataset.noResults;
      list.appendChild(none);
      return;
    }
    hits.slice(0, 12).forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = url(d);
      a.textContent = d.title;
      li.appendChild(a);
      if (d.kind === "school") {
        var small = document.createElement("span");
        small.className = "search-detail";
        small.textContent = " " + d.text.split(" ").slice(0, 2).join(" · ");
        li.appendChild(small);
      }
      list.appendChild(li);
    });
  }
  input.addEventListener("input", function () { load(show); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; list.textContent = ""; }
  });
})();
