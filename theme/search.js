/* briefly search: reads the index under search/ (docs/search.md) in the browser, loading
 * only the chunks a query needs and the fragments of the results it shows. No request
 * leaves the site. The engine (createSearch) is separate from the page, for tests. */
(function () {
  "use strict";
  var W = "[\\p{L}\\p{N}\\p{M}\\p{Pc}]";
  // Words as Unicode word boundaries (UAX #29) make them: letters and digits, joined
  // by apostrophes and periods inside words and commas inside numbers.
  var WORD = new RegExp(W + "+(?:(?:(?<=\\p{L})[.'\u2019:\u00b7](?=\\p{L})|(?<=\\p{N})[.'\u2019,;](?=\\p{N}))" + W + "+)*", "gu");
  var CJK = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}]/u;
  var LATIN_GREEK = /[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\u0370-\u03ff\u1f00-\u1fff]/;
  var SPELL = { "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u00f8": "o", "\u0111": "d", "\u00f0": "d", "\u0142": "l", "\u0131": "i", "\u00fe": "th", "\u03c2": "\u03c3" };
  var PREFIX_FACTOR = 0.5, PREFIX_CHUNKS = 3;

  // A word as the index keys it: lowercase, without inner punctuation, accents folded.
  function key(word) {
    var base = word.toLowerCase().replace(/[^\p{L}\p{N}\p{M}]/gu, "").normalize("NFC");
    var out = "", latin = false;
    for (var c of base.normalize("NFKD")) {
      var n = c.codePointAt(0);
      if (/\p{M}/u.test(c)) {
        if (!((n >= 0x300 && n <= 0x36f && latin) || (n >= 0x64b && n <= 0x65f) || n === 0x670)) out += c;
        continue;
      }
      latin = LATIN_GREEK.test(c);
      out += SPELL[c] || (/[\p{L}\p{N}]/u.test(c) ? c : "");
    }
    return out.normalize("NFC");
  }

  // The words of a text, CJK runs as their character pairs and last character.
  function words(text) {
    var out = [];
    for (var m of text.matchAll(WORD)) {
      var run = "", other = "";
      for (var c of m[0] + " ") {
        if (CJK.test(c)) {
          if (other) { out.push(other); other = ""; }
          run += c;
          continue;
        }
        if (run) {
          var cs = Array.from(run);
          for (var i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
          out.push(cs[cs.length - 1]);
          run = "";
        }
        if (c !== " ") other += c;
      }
      if (other) out.push(other);
    }
    return out;
  }

  // A query's words as [key, prefix]: the last one is being typed.
  function terms(text) {
    var ws = words(text), out = [], afterPair = false;
    ws.forEach(function (w) {
      var cs = Array.from(w), cjk = CJK.test(cs[0]);
      if (cjk && cs.length === 1) {
        if (!afterPair) out.push([w, true]);
        afterPair = false;
        return;
      }
      afterPair = cjk;
      var k = key(w);
      if (k) out.push([k, false]);
    });
    var last = ws[ws.length - 1];
    if (out.length && last && !/\s$/.test(text) && !CJK.test(last)) out[out.length - 1][1] = true;
    return out.filter(function (t, i) { return !i || t[0] !== out[i - 1][0] || t[1] !== out[i - 1][1]; });
  }

  // Compares strings by code point, as the index sorts its keys.
  function cmp(a, b) {
    for (var i = 0, j = 0; ; ) {
      if (i >= a.length) return j >= b.length ? 0 : -1;
      if (j >= b.length) return 1;
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x - y;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
  }

  function decode(bytes) {
    var at = 4, utf8 = new TextDecoder();
    function num() {
      var v = 0, s = 1, b;
      do { b = bytes[at++]; v += (b & 127) * s; s *= 128; } while (b >= 128);
      return v;
    }
    function docs() {
      var n = num(), list = new Array(n), d = 0;
      for (var i = 0; i < n; i++) list[i] = d = (i ? d : 0) + num();
      return list;
    }
    var n = num(), records = new Map(), keys = [], prev = new Uint8Array(0);
    for (var r = 0; r < n; r++) {
      var shared = num(), len = num(), kb = new Uint8Array(shared + len);
      kb.set(prev.subarray(0, shared));
      kb.set(bytes.subarray(at, at + len), shared);
      at += len;
      var flags = bytes[at++], rec = { stems: [], postings: null, docs: null };
      if (flags & 1) {
        for (var s = num(); s > 0; s--) {
          var sh = num(), sl = num(), sb = new Uint8Array(sh + sl);
          sb.set(kb.subarray(0, sh));
          sb.set(bytes.subarray(at, at + sl), sh);
          at += sl;
          rec.stems.push(utf8.decode(sb));
        }
      }
      if (flags & 2) { rec.postings = docs(); rec.weights = bytes.subarray(at, at + rec.postings.length); at += rec.postings.length; }
      if (flags & 4) rec.docs = docs();
      var k = utf8.decode(kb);
      records.set(k, rec);
      keys.push(k);
      prev = kb;
    }
    return { records: records, keys: keys };
  }

  // The engine: `load(path)` gives a file of the index (a promise of bytes).
  function createSearch(load) {
    var entry = null, chunks = new Map(), fragments = new Map();
    function file(path) {
      return load(path).then(function (bytes) {
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    }
    function open() {
      if (!entry) entry = file("search/index.json.gz").then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
      return entry;
    }
    function chunkOf(e, k) {
      var lo = 0, hi = e.chunks.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (cmp(e.chunks[mid][0], k) <= 0) lo = mid + 1; else hi = mid; }
      return Math.max(0, lo - 1);
    }
    function chunk(e, i) {
      if (!chunks.has(i)) chunks.set(i, file("search/terms/" + e.chunks[i][1] + ".bin.gz").then(decode));
      return chunks.get(i);
    }
    async function record(e, k) { return (await chunk(e, chunkOf(e, k))).records.get(k); }
    async function stemsOf(e, k, prefix) {
      var found = new Map();
      function add(name, rec, factor) {
        rec.stems.concat(rec.postings ? [name] : []).forEach(function (s) { found.set(s, Math.max(found.get(s) || 0, factor)); });
      }
      if (prefix) {
        var first = chunkOf(e, k);
        for (var i = first; i < Math.min(first + PREFIX_CHUNKS, e.chunks.length); i++) {
          if (i > first && !e.chunks[i][0].startsWith(k)) break;
          var c = await chunk(e, i);
          c.keys.forEach(function (name) { if (name.startsWith(k)) add(name, c.records.get(name), name === k ? 1 : PREFIX_FACTOR); });
        }
      } else {
        var rec = await record(e, k);
        if (rec) add(k, rec, 1);
        else {
          // A form the site does not have: the longest shorter key that is a stem.
          var cs = Array.from(k);
          for (var len = cs.length - 1; len >= Math.max(3, cs.length - 4); len--) {
            var shorter = cs.slice(0, len).join(""), r = await record(e, shorter);
            if (r && r.postings) { add(shorter, r, PREFIX_FACTOR); break; }
          }
        }
      }
      return found;
    }
    async function wordScores(e, k, prefix, marks) {
      var scores = new Map(), stems = await stemsOf(e, k, prefix);
      for (var [stem, factor] of stems) {
        marks.push(stem);
        var rec = await record(e, stem);
        if (!rec || !rec.postings) continue;
        var df = rec.postings.length, idf = Math.log(1 + (e.docs - df + 0.5) / (df + 0.5));
        rec.postings.forEach(function (d, i) {
          var s = idf * rec.weights[i] * e.scale * factor;
          if (!(scores.get(d) >= s)) scores.set(d, s);
        });
      }
      return scores;
    }
    // Results of {q, kind, topic, region, actor, sort}: document numbers, best (or
    // newest) first, and the stems and prefixes to highlight.
    async function search(query) {
      var e = await open(), found = null, marks = [];
      for (var [k, prefix] of terms(query.q || "")) {
        marks.push(k);
        var scores = await wordScores(e, k, prefix, marks);
        if (!found) found = scores;
        else for (var [d, s] of found) { if (scores.has(d)) found.set(d, s + scores.get(d)); else found.delete(d); }
      }
      var filters = [["k", query.kind], ["t", query.topic], ["r", query.region], ["a", query.actor]];
      for (var [f, v] of filters) {
        if (!v) continue;
        var rec = await record(e, "#" + f + ":" + v), docs = new Set(rec && rec.docs ? rec.docs : []);
        if (!found) { found = new Map(); docs.forEach(function (d) { found.set(d, 0); }); }
        else for (var d2 of found.keys()) if (!docs.has(d2)) found.delete(d2);
      }
      var hits = found ? Array.from(found) : [];
      hits.sort(query.sort === "newest" ? function (a, b) { return a[0] - b[0]; } : function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return { ids: hits.map(function (h) { return h[0]; }), marks: marks.filter(Boolean) };
    }
    async function fragment(id) {
      var e = await open();
      if (!fragments.has(id)) {
        var path = "search/docs/" + id + ".json.gz?v=" + e.blocks[Math.floor(id / e.block)];
        fragments.set(id, file(path).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); }));
      }
      return fragments.get(id);
    }
    return { open: open, search: search, fragment: fragment };
  }

  function escape(s) {
    return s.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }

  // About 30 words of `text` around its most hits, as HTML with the hits marked.
  function excerpt(text, marks) {
    var ws = Array.from(text.matchAll(WORD)).slice(0, 20000), size = 30;
    var cjk = marks.filter(function (s) { return CJK.test(s); });
    var hit = ws.map(function (m) {
      var k = key(m[0]);
      return CJK.test(k) ? cjk.some(function (s) { return k.includes(s); }) : marks.some(function (s) { return k.startsWith(s); });
    });
    var best = 0, bestCount = -1, count = 0;
    for (var i = 0; i < ws.length; i++) {
      count += hit[i] ? 1 : 0;
      if (i >= size) count -= hit[i - size] ? 1 : 0;
      if (count > bestCount) { bestCount = count; best = Math.max(0, i - size + 1); }
    }
    var start = Math.max(0, best - 3), end = Math.min(ws.length, start + size), html = start ? "\u2026 " : "";
    for (var j = start; j < end; j++) {
      var m = ws[j], next = j + 1 < end ? ws[j + 1].index : m.index + m[0].length;
      var w = escape(m[0]);
      if (CJK.test(w)) cjk.forEach(function (s) { w = w.split(s).join("<mark>" + s + "</mark>"); });
      else if (hit[j]) w = "<mark>" + w + "</mark>";
      html += w + escape(text.slice(m.index + m[0].length, next));
    }
    return html + (end < ws.length ? " \u2026" : "");
  }

  var api = { createSearch: createSearch, terms: terms, key: key, excerpt: excerpt };
  if (typeof module === "object" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  // The search page: the form reads and writes ?q= and the filters in the URL.
  function page() {
    var form = document.getElementById("search"), out = document.getElementById("search-results");
    if (!form || !out) return;
    var base = form.getAttribute("data-base") || "/", page = 10, shown = 0, current = null, run = 0, timer;
    var engine = createSearch(function (path) {
      return fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + path);
        return r.arrayBuffer();
      }).then(function (b) { return new Uint8Array(b); });
    });
    var fields = ["q", "kind", "topic", "region", "actor", "sort"], params = new URLSearchParams(location.search);
    // The page's language may give its own strings (data-strings); these are the English ones.
    var say = { search_unavailable: "Search is unavailable: ", search_failed: "Search failed: ",
      search_results: { one: "{n} result", other: "{n} results" }, search_none: "No results", search_more: "More results" };
    try { Object.assign(say, JSON.parse(form.getAttribute("data-strings") || "{}")); } catch (e) { /* keep English */ }
    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
    function count(forms, n) {
      var form = (plural && forms[plural.select(n)]) || (n === 1 ? forms.one : forms.other) || forms.other;
      return form.replace("{n}", n);
    }
    var kindLabel = {};
    function status(text) { out.innerHTML = '<p class="search-status">' + escape(text) + "</p>"; }
    engine.open().then(function (e) {
      [["kind", e.kinds], ["topic", e.topics], ["region", e.regions], ["actor", e.actors]].forEach(function (f) {
        var select = form.elements[f[0]];
        f[1].forEach(function (v) { select.add(new Option(v[1] + " (" + v[2] + ")", v[0])); });
        if (f[0] === "kind") f[1].forEach(function (v) { kindLabel[v[0]] = v[1]; });
      });
      fields.forEach(function (f) { if (params.get(f)) form.elements[f].value = params.get(f); });
      update();
    }).catch(function (err) { status(say.search_unavailable + err.message); });
    function query() {
      var q = {};
      fields.forEach(function (f) { q[f] = form.elements[f].value; });
      return q;
    }
    function update() {
      var q = query(), mine = ++run, url = new URLSearchParams();
      fields.forEach(function (f) { if (q[f]) url.set(f, q[f]); });
      history.replaceState(null, "", url.toString() ? "?" + url : location.pathname);
      if (!q.q.trim() && !q.kind && !q.topic && !q.region && !q.actor) { out.innerHTML = ""; return; }
      out.setAttribute("aria-busy", "true");
      engine.search(q).then(function (r) {
        if (mine !== run) return;
        current = r;
        shown = 0;
        out.innerHTML = '<p class="search-status">' + escape(r.ids.length ? count(say.search_results, r.ids.length) : say.search_none) + '</p><ol class="search-list"></ol>';
        return more(mine);
      }).catch(function (err) { status(say.search_failed + err.message); })
        .finally(function () { if (mine === run) out.removeAttribute("aria-busy"); });
    }
    function more(mine) {
      var ids = current.ids.slice(shown, shown + page), list = out.querySelector("ol");
      shown += ids.length;
      return Promise.all(ids.map(engine.fragment)).then(function (frags) {
        if (mine !== run) return;
        frags.forEach(function (f) {
          var li = document.createElement("li");
          li.className = "search-result";
          li.innerHTML = '<h2><a href="' + escape(f.u) + '">' + escape(f.t) + '</a></h2><p class="search-meta"><span class="search-kind">' +
            escape(kindLabel[f.k] || f.k.charAt(0).toUpperCase() + f.k.slice(1)) + "</span>" + (f.d ? " \u00b7 " + escape(f.d) : "") +
            '</p><p class="search-excerpt">' + excerpt(f.x, current.marks) + "</p>";
          list.appendChild(li);
        });
        var button = out.querySelector(".search-more");
        if (button) button.remove();
        if (shown < current.ids.length) {
          button = document.createElement("button");
          button.type = "button";
          button.className = "search-more";
          button.textContent = say.search_more;
          button.onclick = function () { more(run); };
          out.appendChild(button);
        }
      });
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
    form.addEventListener("input", function (ev) {
      clearTimeout(timer);
      timer = setTimeout(update, ev.target.name === "q" ? 150 : 0);
    });
  }
  page();
})();
