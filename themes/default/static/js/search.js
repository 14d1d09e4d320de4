/* Offline search of the default theme. The box is in every page, hidden; this script shows
   it. The index of the page's language is a script (window.barometreSearch[lang]) added to
   the page on first use: no fetch, so it works from file:// as well as from a server or a
   mirror. Result addresses are relative to the site root; the form's data-root turns them
   into links relative to the current page. No framework, no build step. */
(function () {
  'use strict';

  var form = document.querySelector('form.site-search');
  if (!form) { return; }
  var input = form.querySelector('.site-search-input');
  var panel = form.querySelector('.site-search-panel');
  var status = form.querySelector('.site-search-status');
  var list = form.querySelector('.site-search-results');
  var lang = form.getAttribute('data-lang');
  var root = form.getAttribute('data-root') || '';
  var MAX = 10;

  /* The same folding as src/offline/search.rs `normalize` (keep them in step): lower case,
     French accents and ligatures, Arabic harakat and Quranic marks, tatweel, hamza forms of
     alef, ta marbuta, alef maqsura, Arabic-Indic digits; other characters separate words. */
  var MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f]/g;
  var FOLD = {
    '\u0623': '\u0627', '\u0625': '\u0627', '\u0622': '\u0627', '\u0671': '\u0627',
    '\u0629': '\u0647', '\u0649': '\u064a',
    'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c',
    'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'î': 'i', 'ï': 'i', 'í': 'i', 'ì': 'i',
    'ô': 'o', 'ö': 'o', 'ó': 'o', 'ò': 'o', 'õ': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ú': 'u',
    'ÿ': 'y', 'ý': 'y', 'ñ': 'n', 'œ': 'oe', 'æ': 'ae'
  };
  var WORD;
  try { WORD = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u'); }
  catch (e) { WORD = /^[0-9a-z\u00c0-\u024f\u0600-\u06ff]$/; } /* browsers before 2018 */
  function normalize(text) {
    var out = '';
    Array.from(text.toLowerCase().replace(MARKS, '')).forEach(function (c) {
      var code = c.charCodeAt(0);
      if (Object.prototype.hasOwnProperty.call(FOLD, c)) { out += FOLD[c]; }
      else if (code >= 0x0660 && code <= 0x0669) { out += String.fromCharCode(code - 0x0660 + 48); }
      else { out += WORD.test(c) ? c : ' '; }
    });
    return out;
  }
  function terms(text) {
    return normalize(text).split(/\s+/).filter(function (w) { return w.length >= 2; });
  }

  var index = null;
  var termList = null;
  var waiting = false;
  function withIndex(then) {
    if (index) { then(); return; }
    var loaded = window.barometreSearch && window.barometreSearch[lang];
    if (loaded) { index = loaded; termList = Object.keys(index.terms); then(); return; }
    if (waiting) { return; }
    waiting = true;
    var script = document.createElement('script');
    script.src = form.getAttribute('data-index');
    script.onload = function () { waiting = false; withIndex(then); };
    script.onerror = function () { waiting = false; };
    document.head.appendChild(script);
  }

  /* Every query word must match the start of an indexed word; exact words count double. */
  function search(query) {
    var words = terms(query);
    if (!words.length) { return []; }
    var total = null;
    words.forEach(function (w) {
      var scores = {};
      termList.forEach(function (t) {
        if (t.lastIndexOf(w, 0) !== 0) { return; }
        var bonus = t === w ? 2 : 1;
        var postings = index.terms[t];
        for (var i = 0; i < postings.length; i += 2) {
          var d = postings[i];
          scores[d] = Math.max(scores[d] || 0, postings[i + 1] * bonus);
        }
      });
      if (total === null) { total = scores; return; }
      var both = {};
      Object.keys(total).forEach(function (d) {
        if (scores[d]) { both[d] = total[d] + scores[d]; }
      });
      total = both;
    });
    return Object.keys(total)
      .map(function (d) { return { doc: Number(d), score: total[d] }; })
      .sort(function (a, b) { return b.score - a.score || a.doc - b.doc; })
      .slice(0, MAX)
      .map(function (r) { return index.docs[r.doc]; });
  }

  function show() {
    var query = input.value;
    list.textContent = '';
    if (!terms(query).length) { panel.hidden = true; status.textContent = ''; return; }
    withIndex(function () {
      if (input.value !== query) { return; }
      var results = search(query);
      list.textContent = '';
      results.forEach(function (doc) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = root + doc.u;
        a.textContent = doc.t;
        li.appendChild(a);
        if (doc.s) {
          var s = document.createElement('span');
          s.className = 'site-search-section';
          s.textContent = doc.s;
          li.appendChild(s);
        }
        if (doc.x) {
          var x = document.createElement('span');
          x.className = 'site-search-excerpt';
          x.textContent = doc.x;
          li.appendChild(x);
        }
        list.appendChild(li);
      });
      status.textContent = results.length ? '' : form.getAttribute('data-empty');
      panel.hidden = false;
    });
  }

  form.hidden = false;
  input.addEventListener('input', show);
  input.addEventListener('focus', function () { withIndex(function () {}); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { input.value = ''; show(); }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var first = list.querySelector('a');
    if (first) { window.location.href = first.href; }
  });
  document.addEventListener('click', function (e) {
    if (!form.contains(e.target)) { panel.hidden = true; }
  });
})();

/* Printing, on every page (here because every page loads this one script: a second file
   would cost each page a request).
   - Before printing, each link gets the address the paper shows after it (CSS prints
     attr(data-print-href), else the raw href): the full address when the page came from a
     server, else the site's base_url (<body data-base-url>) followed by the path from the
     site root (<body data-root>), else that path alone (fr/methodologie/index.html), which
     reads better than ../../../fr/methodologie/index.html.
   - The data tables under the charts (closed <details>) are opened for the paper, and closed
     again afterwards. */
(function () {
  'use strict';
  var body = document.body;
  var rootAttr = body.getAttribute('data-root');
  var base = body.getAttribute('data-base-url') || '';
  var opened = [];

  function readable(a) {
    var href = a.getAttribute('href');
    if (!href || href.charAt(0) === '#') { return null; }
    var url = a.href;
    if (/^https?:$/.test(location.protocol) || !/^file:/.test(url)) { return url; }
    if (rootAttr === null) { return null; }
    var root = new URL(rootAttr || './', location.href).href;
    if (url.indexOf(root) !== 0) { return null; }
    return base + url.slice(root.length);
  }

  window.addEventListener('beforeprint', function () {
    var links = document.querySelectorAll('a[href]');
    for (var i = 0; i < links.length; i++) {
      var r = readable(links[i]);
      if (r) { links[i].setAttribute('data-print-href', r); }
    }
    var tables = document.querySelectorAll('details.chart-table:not([open])');
    for (var j = 0; j < tables.length; j++) {
      tables[j].open = true;
      opened.push(tables[j]);
    }
  });
  window.addEventListener('afterprint', function () {
    while (opened.length) { opened.pop().open = false; }
  });
})();
