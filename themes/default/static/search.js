// Search across all handbooks. The schools' index (data-index, assets/search-<lang>.js) is
// loaded as a script on first use, so it works from file:// as well as from a web server.
// On a provider site it is an entry that names shards: a query word loads the one shard
// whose key (a prefix of the word) holds its terms (assets/search-<lang>/k-<key>.js), and
// the hits shown load their records (r-<n>.js), so a first query costs a few small files
// at any number of schools (src/search/shards.rs writes them).
// A school's own index (school scope) is the plain list of its documents. A handbook page
// adds its own steps, embedded as JSON in <script id="search-steps">, and scans them.
// Every word typed must occur in a school's or step's words; case and accents are ignored
// and umlauts match in both spellings (müssen, mussen, muessen; straße, strasse). The
// folding is the one of src/search/fold.rs: change both.
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var input = box.querySelector("input");
  var list = box.querySelector(".search-results");
  var root = box.dataset.root || "";
  var folder = box.dataset.index.replace(/\.js$/, "/");
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var MAX_HITS = 12;
  var entry = null; // {docs, chunk, keys} of a sharded index
  var plain = null; // documents scanned in full: a school's own index and the page's steps
  var shards = {}; // key -> {term: set}
  var records = {}; // chunk number -> [[title, url, detail], ...]
  var loading = {}; // script URL -> [callbacks] while it loads
  var asked = 0; // the latest query, so a slow shard cannot show an older one's hits
  input.hidden = false;

  window.handbuchSearchShard = function (key, terms) { shards[key] = terms; };
  window.handbuchSearchRecords = function (n, list) { records[n] = list; };

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
  }
  // The spellings a text is found under (variants in fold.rs): as typed, ä as ae, ae as ä.
  function spellings(s) {
    var plainText = fold(s);
    var translit = s.toLowerCase().normalize("NFD").replace(/([aou])\u0308/g, "$1e")
      .replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
    return plainText + " " + translit + " " + plainText.replace(/([aou])e/g, "$1") + " " +
      translit.replace(/([aou])e/g, "$1");
  }
  function words(folded) {
    return folded.split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
  }
  function load(src, then) {
    if (loading[src]) { loading[src].push(then); return; }
    loading[src] = [then];
    var script = document.createElement("script");
    script.src = src;
    // A missing file is an empty part: the rest of the search still works.
    script.onload = script.onerror = function () {
      var waiting = loading[src];
      loading[src] = null;
      waiting.forEach(function (f) { f(); });
    };
    document.head.appendChild(script);
  }
  function loadAll(srcs, then) {
    var left = srcs.length;
    if (!left) return then();
    srcs.forEach(function (src) { load(src, function () { if (--left === 0) then(); }); });
  }
  function start(then) {
    if (plain) return then();
    load(box.dataset.index, function () {
      var data = window.HANDBUCH_SEARCH;
      var own = [];
      if (Array.isArray(data)) own = data;
      else if (data && typeof data.keys === "string") {
        entry = data;
        entry.has = {};
        entry.split = {};
        data.keys.split(" ").forEach(function (k) {
          entry.has[k] = true;
          entry.split[Array.from(k).slice(0, -1).join("")] = true;
        });
      }
      plain = own.concat(pageSteps()).map(function (d) {
        d.haystack = spellings(d.title + " " + d.text);
        return d;
      });
      then();
    });
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
  // The shard that holds a word's terms: down from its first letter while a shard is
  // split into longer keys. Null when no school's words contain it.
  function keyOf(word) {
    var letters = Array.from(word);
    var key = letters[0];
    for (var n = 1; entry.has[key] && entry.split[key] && n < letters.length; n++) key += letters[n];
    return entry.has[key] ? key : null;
  }
  function shardUrl(key) {
    return folder + "k-" + Array.from(key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("") + ".js";
  }
  // Adds the ids of an encoded set (runs: ids skipped, length - 1) to `hits`.
  function addSet(code, hits) {
    var i = 0, id = 0;
    function number() {
      var n = 0, scale = 1, d;
      do {
        d = DIGITS.indexOf(code.charAt(i++));
        n += (d & 31) * scale;
        scale *= 32;
      } while (d >= 32);
      return n;
    }
    while (i < code.length) {
      id += number();
      for (var end = id + number() + 1; id < end; id++) hits[id] = 1;
    }
  }
  // The ids of the schools with every word, ascending (their shards are loaded).
  function schoolIds(query) {
    var all = null;
    query.forEach(function (w) {
      var key = keyOf(w);
      var terms = (key && shards[key]) || {};
      var hits = new Uint8Array(entry.docs);
      Object.keys(terms).forEach(function (rest) {
        if ((key + rest).lastIndexOf(w, 0) === 0) addSet(terms[rest], hits);
      });
      if (all) for (var i = 0; i < all.length; i++) all[i] &= hits[i];
      else all = hits;
    });
    var ids = [];
    for (var id = 0; all && id < all.length && ids.length < MAX_HITS; id++) if (all[id]) ids.push(id);
    return ids;
  }
  function schools(query, then) {
    if (!entry) return then([]);
    var keys = query.map(keyOf).filter(function (k) { return k && !shards[k]; });
    loadAll(keys.map(shardUrl), function () {
      var ids = schoolIds(query);
      var chunks = ids.map(function (id) { return Math.floor(id / entry.chunk); })
        .filter(function (n, i, all) { return all.indexOf(n) === i && !records[n]; });
      loadAll(chunks.map(function (n) { return folder + "r-" + n + ".js"; }), function () {
        then(ids.map(function (id) {
          var r = (records[Math.floor(id / entry.chunk)] || [])[id % entry.chunk];
          return r && { kind: "school", title: r[0], url: r[1], detail: r[2] };
        }).filter(Boolean));
      });
    });
  }
  function url(doc) {
    if (doc.kind === "school") return root + doc.url;
    // Steps are anchors of the handbook page currently shown.
    return document.getElementById(doc.url.slice(1)) ? doc.url : null;
  }
  function show() {
    var query = words(fold(input.value));
    var mine = ++asked;
    if (!query.length) { list.textContent = ""; return; }
    var scanned = plain.filter(function (d) {
      return url(d) && query.every(function (w) { return d.haystack.indexOf(w) !== -1; });
    });
    schools(query, function (found) {
      if (mine !== asked) return;
      var hits = found.concat(scanned);
      hits.sort(function (a, b) { return (a.kind === "school" ? 0 : 1) - (b.kind === "school" ? 0 : 1); });
      render(hits.slice(0, MAX_HITS));
    });
  }
  function render(hits) {
    list.textContent = "";
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = box.dataset.noResults;
      list.appendChild(none);
      return;
    }
    hits.forEach(function (d) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = url(d);
      a.textContent = d.title;
      li.appendChild(a);
      if (d.kind === "school") {
        var small = document.createElement("span");
        small.className = "search-detail";
        small.textContent = " " + (d.detail !== undefined ? d.detail : d.text.split(" ").slice(0, 2).join(" · "));
        li.appendChild(small);
      }
      list.appendChild(li);
    });
  }
  input.addEventListener("input", function () { start(show); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; list.textContent = ""; asked++; }
  });
})();
