/* Offline search of the default theme. The box is in every page, hidden; this script shows
   it. The index of the page's language is a script (window.barometreSearch[lang]) added to
   the page on first use, and for a large site its shards (terms by their first two
   characters, texts by pages) are scripts loaded as a query needs them: no fetch, so it works
   from file:// as well as from a server or a mirror. Result addresses are relative to the site
   root; the form's data-root turns them into links relative to the current page. No
   framework, no build step. The format is described in src/offline/search/index.rs. */
(function (global) {
  'use strict';

  /* ---- Words: the same folding and stemming as src/offline/search/stem.rs, rule for rule
     (keep them in step: tests/search.rs runs both over the words of the shipped site). ---- */

  var MARK = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f]/;
  var FOLD = {
    '\u0623': '\u0627', '\u0625': '\u0627', '\u0622': '\u0627', '\u0671': '\u0627',
    '\u0629': '\u0647', '\u0649': '\u064a',
    'à': 'a', 'â': 'a', 'ä': 'a', 'á': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c',
    'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'î': 'i', 'ï': 'i', 'í': 'i', 'ì': 'i',
    'ô': 'o', 'ö': 'o', 'ó': 'o', 'ò': 'o', 'õ': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ú': 'u',
    'ÿ': 'y', 'ý': 'y', 'ñ': 'n', 'œ': 'oe', 'æ': 'ae'
  };
  var ALNUM, ALPHA;
  try {
    ALNUM = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u');
    ALPHA = new RegExp('^\\p{Alphabetic}$', 'u');
  } catch (e) { /* browsers before 2018 */
    ALNUM = /^[0-9a-z\u00c0-\u024f\u0600-\u06ff]$/i;
    ALPHA = /^[a-z\u00c0-\u024f\u0621-\u064a\u0671-\u06d3]$/i;
  }
  var own = Object.prototype.hasOwnProperty;

  function isWordChar(c) { return MARK.test(c) || ALNUM.test(c); }

  /* Lower case; accents, harakat, tatweel and joiners removed; hamza forms of alef, ta
     marbuta, alef maqsura and Arabic-Indic digits folded; other characters become spaces. */
  function normalize(text) {
    var out = '';
    Array.from(text.toLowerCase()).forEach(function (c) {
      var code = c.codePointAt(0);
      if (MARK.test(c)) { return; }
      if (own.call(FOLD, c)) { out += FOLD[c]; }
      else if (code >= 0x0660 && code <= 0x0669) { out += String.fromCharCode(code - 0x0660 + 48); }
      else { out += ALNUM.test(c) ? c : ' '; }
    });
    return out;
  }

  function isArabic(code) {
    return (code >= 0x0600 && code <= 0x06ff) || (code >= 0x0750 && code <= 0x077f) ||
      (code >= 0x08a0 && code <= 0x08ff) || (code >= 0xfb50 && code <= 0xfdff) ||
      (code >= 0xfe70 && code <= 0xfeff);
  }
  function isLatin(code) {
    return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
      (code >= 0xc0 && code <= 0x24f) || (code >= 0x1e00 && code <= 0x1eff);
  }

  /* 'arabic' when a letter is Arabic, 'latin' when every letter is Latin, else ''. */
  function script(word) {
    var latin = false;
    var chars = Array.from(word);
    for (var i = 0; i < chars.length; i++) {
      var code = chars[i].codePointAt(0);
      if (isArabic(code)) { return 'arabic'; }
      if (ALPHA.test(chars[i])) {
        if (!isLatin(code)) { return ''; }
        latin = true;
      }
    }
    return latin ? 'latin' : '';
  }

  function starts(w, p) {
    if (w.length < p.length) { return false; }
    for (var i = 0; i < p.length; i++) { if (w[i] !== p[i]) { return false; } }
    return true;
  }
  function ends(w, s) {
    if (w.length < s.length) { return false; }
    for (var i = 0; i < s.length; i++) { if (w[w.length - s.length + i] !== s[i]) { return false; } }
    return true;
  }

  /* Arabic: Larkey's light10, and the other readings of a first و ب ك ل ف. */
  var AR_ARTICLES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'].map(function (a) { return Array.from(a); });
  var AR_SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'].map(function (s) { return Array.from(s); });
  var AR_ATTACHED = ['ب', 'ك', 'ل', 'ف'];
  function arabicForm(w) {
    var end = w.length;
    AR_SUFFIXES.forEach(function (s) {
      if (ends(w.slice(0, end), s) && end >= s.length + 2) { end -= s.length; }
    });
    return { stem: w.slice(0, end).join(''), whole: w.join('') };
  }
  function arabic(w) {
    var waw = w.length >= 4 && w[0] === 'و';
    var rest = waw ? w.slice(1) : w;
    for (var i = 0; i < AR_ARTICLES.length; i++) {
      var a = AR_ARTICLES[i];
      if (starts(rest, a) && rest.length >= a.length + 2) { return [arabicForm(rest.slice(a.length))]; }
    }
    var out = [arabicForm(rest)];
    if (waw) { out.push(arabicForm(w)); }
    if (rest.length >= 4 && AR_ATTACHED.indexOf(rest[0]) >= 0) { out.push(arabicForm(rest.slice(1))); }
    var unique = [];
    out.forEach(function (f) {
      if (!unique.some(function (u) { return u.stem === f.stem; })) { unique.push(f); }
    });
    return unique;
  }

  /* Latin: Savoy's light French stemmer on folded words. */
  var FR_SUFFIXES = [
    ['issement', 9, 'ir'], ['issant', 8, 'ir'], ['ement', 6, 'e'], ['atrice', 8, 'er'],
    ['ateur', 7, 'er'], ['trice', 6, 'ter'], ['ieme', 5, ''], ['teuse', 7, 'ter'],
    ['teur', 6, 'ter'], ['euse', 5, 'eu'], ['ere', 8, 'er'], ['ive', 7, 'if'],
    ['elle', 5, 'el'], ['ete', 5, 'et'], ['ique', 8, ''], ['esse', 8, 'e'],
    ['inage', 7, 'in'], ['isation', 9, 'is'], ['ation', 8, ''], ['ition', 8, '']
  ];
  function frenchEndings(s) {
    if (s.length > 4 && ends(s, ['i', 'e'])) { s.length -= 2; }
    if (s.length <= 4) { return; }
    ['r', 'e', 'e'].forEach(function (c) {
      if (s.length > 2 && s[s.length - 1] === c) { s.pop(); }
    });
    var n = s.length;
    if (n > 2 && s[n - 1] === s[n - 2] && ALPHA.test(s[n - 1])) { s.pop(); }
  }
  function french(word) {
    var s = Array.from(word);
    var n = s.length;
    if (n > 5 && s[n - 1] === 'x') {
      if (s[n - 3] === 'a' && s[n - 2] === 'u' && s[n - 4] !== 'e') { s[n - 2] = 'l'; }
      s.pop();
    }
    if (s.length > 3 && s[s.length - 1] === 'x') { s.pop(); }
    if (s.length > 3 && s[s.length - 1] === 's') { s.pop(); }
    for (var i = 0; i < FR_SUFFIXES.length; i++) {
      var r = FR_SUFFIXES[i];
      if (s.length > r[1] && ends(s, Array.from(r[0]))) {
        s = s.slice(0, s.length - r[0].length).concat(Array.from(r[2]));
        if (r[0] === 'ement' && ends(s, ['i', 'v', 'e'])) { s.length -= 2; s.push('f'); }
        break;
      }
    }
    frenchEndings(s);
    return s.join('');
  }

  /* The readings of a normalised word: [{stem, whole}], the stemmer's own first. */
  function forms(word) {
    var sc = script(word);
    if (sc === 'arabic') { return arabic(Array.from(word)); }
    if (sc === 'latin') { return [{ stem: french(word), whole: word }]; }
    return [{ stem: word, whole: word }];
  }

  /* The words of a text: [start, end) offsets of each run of word characters. */
  function tokens(text) {
    var out = [];
    var start = -1;
    var i = 0;
    Array.from(text).forEach(function (c) {
      if (isWordChar(c)) { if (start < 0) { start = i; } }
      else if (start >= 0) { out.push([start, i]); start = -1; }
      i += c.length;
    });
    if (start >= 0) { out.push([start, i]); }
    return out;
  }

  var MIN = 2;
  function length(s) { return Array.from(s).length; }

  global.barometreSearchText = { normalize: normalize, forms: forms, script: script, tokens: tokens };

  /* ---- The search box ---- */

  var doc = global.document;
  if (!doc || !doc.querySelector) { return; }
  var form = doc.querySelector('form.site-search');
  if (!form) { return; }
  var input = form.querySelector('.site-search-input');
  var panel = form.querySelector('.site-search-panel');
  var status = form.querySelector('.site-search-status');
  var list = form.querySelector('.site-search-results');
  var others = Array.prototype.slice.call(form.querySelectorAll('.site-search-other'));
  var lang = form.getAttribute('data-lang');
  var root = form.getAttribute('data-root') || '';
  var main = form.getAttribute('data-index');
  var folder = main.replace(/\.js$/, '/');
  var say = {
    loading: form.getAttribute('data-loading'),
    empty: form.getAttribute('data-empty'),
    error: form.getAttribute('data-error'),
    site: form.getAttribute('data-site-group')
  };
  var MAX = 10;
  var store = global.barometreSearch = global.barometreSearch || {};

  /* Scripts being loaded: key → callbacks, each given the data or null. */
  var waiting = {};
  function load(key, src, done) {
    if (store[key]) { done(store[key]); return; }
    if (waiting[key]) { waiting[key].push(done); return; }
    waiting[key] = [done];
    var s = doc.createElement('script');
    s.src = src;
    s.onload = s.onerror = function () {
      var callbacks = waiting[key];
      delete waiting[key];
      callbacks.forEach(function (cb) { cb(store[key] || null); });
    };
    doc.head.appendChild(s);
  }
  function manifest(done) { load(lang, main, done); }
  function termShard(index, key, done) {
    if (index.terms) { done(index.terms); return; }
    if (!own.call(index.termShards, key)) { done({}); return; }
    var n = index.termShards[key];
    load(lang + '/t' + n, folder + 't' + n + '.js', done);
  }
  function docShard(index, n, done) {
    if (index.docs) { done(index.docs); return; }
    load(lang + '/d' + n, folder + 'd' + n + '.js', done);
  }
  /* Runs every loader of `jobs` (each takes a callback), then done(results) or done(null). */
  function all(jobs, done) {
    var left = jobs.length;
    var out = [];
    var failed = false;
    if (!left) { done(out); return; }
    jobs.forEach(function (job, i) {
      job(function (data) {
        if (data === null) { failed = true; }
        out[i] = data;
        left -= 1;
        if (!left) { done(failed ? null : out); }
      });
    });
  }

  function key(s) { return Array.from(s).slice(0, 2).join(''); }

  /* The query's words: their readings, and whether the reader is still typing it. */
  function queryWords(query) {
    var words = normalize(query).split(/\s+/).filter(function (w) { return length(w) >= MIN; });
    var typing = !/\s$/.test(query);
    return words.map(function (w, i) {
      return { forms: forms(w), last: typing && i === words.length - 1 };
    });
  }

  /* How a stem of the index matches a reading of a query word: its stem exactly (4), as the
     start of a word being typed (2), or, for the last word, a stem the typed word begins
     with (1: « développem… » on the way to « développement »). */
  function factor(term, f, last) {
    if (term === f.stem) { return 4; }
    if (term.lastIndexOf(f.whole, 0) === 0) { return 2; }
    if (last && f.whole.lastIndexOf(term, 0) === 0 &&
        length(term) >= Math.max(5, length(f.whole) - 3)) { return 1; }
    return 0;
  }
  function matches(term, words) {
    return words.some(function (w) {
      return w.forms.some(function (f) { return factor(term, f, w.last) > 0; });
    });
  }

  /* The postings of a stem, decoded once: [section, score, section, score…] (the format:
     src/offline/search/index.rs). */
  var DIGIT = {};
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'.split('').forEach(function (c, i) {
    DIGIT[c.charCodeAt(0)] = i;
  });
  var decoded = {};
  function postings(terms, term) {
    if (own.call(decoded, term)) { return decoded[term]; }
    var raw = terms[term];
    var out = [];
    var n = 0;
    var section = 0;
    for (var i = 0; i < raw.length; i++) {
      var v = DIGIT[raw.charCodeAt(i)];
      if (v >= 32) { n = n * 32 + v - 32; continue; }
      n = n * 32 + v;
      if (out.length % 2 === 0) { section += n; out.push(section); } else { out.push(n); }
      n = 0;
    }
    decoded[term] = out;
    return out;
  }
  var termLists = new Map();
  function termsOf(shard) {
    if (!termLists.has(shard)) { termLists.set(shard, Object.keys(shard)); }
    return termLists.get(shard);
  }

  /* The page of a section: the last page whose first section is not after it. */
  function pageOf(index, section) {
    var lo = 0;
    var hi = index.pages.length / 2 - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (index.pages[2 * mid + 1] <= section) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
  function shardOf(index, page) {
    if (index.docs) { return 0; }
    var starts = index.docShards;
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= page) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  /* Pages where every word matches, best first: {page, score, section}. A word scores a
     section by its best stem; a page by each word's best section; the result opens the
     section where the words together score most. */
  function rank(index, words, shards) {
    var perWord = words.map(function (w) {
      var sections = new Map();
      w.forms.forEach(function (f) {
        var keys = [key(f.stem)];
        if (key(f.whole) !== keys[0]) { keys.push(key(f.whole)); }
        keys.forEach(function (k) {
          var terms = shards[k];
          termsOf(terms).forEach(function (term) {
            var x = factor(term, f, w.last);
            if (!x) { return; }
            var list = postings(terms, term);
            for (var i = 0; i < list.length; i += 2) {
              var s = list[i + 1] * x;
              if (s > (sections.get(list[i]) || 0)) { sections.set(list[i], s); }
            }
          });
        });
      });
      return sections;
    });
    var pages = new Map();
    perWord.forEach(function (sections, wi) {
      sections.forEach(function (score, section) {
        var p = pageOf(index, section);
        var page = pages.get(p);
        if (!page) {
          if (wi > 0) { return; }
          page = { best: [], sections: [] };
          pages.set(p, page);
        }
        if (score > (page.best[wi] || 0)) { page.best[wi] = score; }
        if (page.sections.indexOf(section) < 0) { page.sections.push(section); }
      });
    });
    var results = [];
    pages.forEach(function (page, p) {
      for (var wi = 0; wi < words.length; wi++) { if (!page.best[wi]) { return; } }
      var best = -1;
      var bestScore = -1;
      page.sections.sort(function (a, b) { return a - b; }).forEach(function (section) {
        var sum = perWord.reduce(function (t, m) { return t + (m.get(section) || 0); }, 0);
        if (sum > bestScore) { best = section; bestScore = sum; }
      });
      var score = page.best.reduce(function (t, s) { return t + s; }, 0);
      results.push({ page: p, score: score, section: best });
    });
    return results.sort(function (a, b) { return b.score - a.score || a.page - b.page; }).slice(0, MAX);
  }

  /* Finds the results of `words`: done(results) with their texts, or done(null) when a script
     of the index could not be loaded. */
  function find(words, done) {
    manifest(function (index) {
      if (!index) { done(null); return; }
      var keys = [];
      words.forEach(function (w) {
        w.forms.forEach(function (f) {
          [key(f.stem), key(f.whole)].forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
        });
      });
      all(keys.map(function (k) { return function (cb) { termShard(index, k, cb); }; }), function (loaded) {
        if (!loaded) { done(null); return; }
        var shards = {};
        keys.forEach(function (k, i) { shards[k] = loaded[i]; });
        var ranked = rank(index, words, shards);
        var needed = [];
        ranked.forEach(function (r) {
          var n = shardOf(index, r.page);
          if (needed.indexOf(n) < 0) { needed.push(n); }
        });
        all(needed.map(function (n) { return function (cb) { docShard(index, n, cb); }; }), function (docs) {
          if (!docs) { done(null); return; }
          done(ranked.map(function (r) { return describe(index, r, docs[needed.indexOf(shardOf(index, r.page))]); }), index);
        });
      });
    });
  }

  function describe(index, r, docs) {
    var first = index.docs ? 0 : index.docShards[shardOf(index, r.page)];
    var page = docs.pages[r.page - first];
    var section = docs.sections[r.section - index.pages[2 * first + 1]];
    return {
      group: index.pages[2 * r.page],
      url: page[0],
      title: page[1],
      anchor: section[0],
      heading: section[1],
      text: section[2],
      lang: section[3] || '',
      dir: section[4] || ''
    };
  }

  function element(name, className) {
    var e = doc.createElement(name);
    if (className) { e.className = className; }
    return e;
  }

  /* Appends text[from, to) to `parent`, the words that match the query in <mark>. */
  function highlight(parent, text, words, from, to, spans) {
    var at = from;
    spans.forEach(function (t) {
      if (t[0] < from || t[1] > to) { return; }
      var w = normalize(text.slice(t[0], t[1])).trim();
      if (length(w) < MIN || !forms(w).some(function (f) { return matches(f.stem, words); })) { return; }
      if (t[0] > at) { parent.appendChild(doc.createTextNode(text.slice(at, t[0]))); }
      var m = element('mark');
      m.textContent = text.slice(t[0], t[1]);
      parent.appendChild(m);
      at = t[1];
    });
    if (to > at) { parent.appendChild(doc.createTextNode(text.slice(at, to))); }
  }

  /* A few words of `text` around its first match (its start when the match is elsewhere). */
  function snippet(parent, text, words) {
    var spans = tokens(text);
    if (!spans.length) { return false; }
    var hit = 0;
    for (var i = 0; i < spans.length; i++) {
      var w = normalize(text.slice(spans[i][0], spans[i][1])).trim();
      if (length(w) >= MIN && forms(w).some(function (f) { return matches(f.stem, words); })) { hit = i; break; }
    }
    var first = Math.max(0, hit - 8);
    var last = Math.min(spans.length, first + 26) - 1;
    var from = first === 0 ? 0 : spans[first][0];
    var to = last === spans.length - 1 ? text.length : spans[last][1];
    if (first > 0) { parent.appendChild(doc.createTextNode('… ')); }
    highlight(parent, text, words, from, to, spans);
    if (to < text.length) { parent.appendChild(doc.createTextNode(' …')); }
    return true;
  }

  function item(r, words) {
    var li = element('li');
    var a = element('a');
    a.href = root + r.url + (r.anchor ? '#' + r.anchor : '');
    var title = element('span', 'site-search-title');
    highlight(title, r.title, words, 0, r.title.length, tokens(r.title));
    a.appendChild(title);
    if (r.anchor && r.heading) {
      a.appendChild(doc.createTextNode(' › '));
      var heading = element('span', 'site-search-heading');
      highlight(heading, r.heading, words, 0, r.heading.length, tokens(r.heading));
      a.appendChild(heading);
    }
    li.appendChild(a);
    var x = element('span', 'site-search-excerpt');
    if (r.lang) { x.lang = r.lang; }
    if (r.dir) { x.dir = r.dir; }
    if (snippet(x, r.text, words)) { li.appendChild(x); }
    return li;
  }

  /* The results in groups (an edition, or the pages outside editions), in the order of each
     group's best result. */
  function show(results, index, words) {
    list.textContent = '';
    var order = [];
    var groups = {};
    results.forEach(function (r) {
      if (!own.call(groups, r.group)) { groups[r.group] = []; order.push(r.group); }
      groups[r.group].push(r);
    });
    order.forEach(function (g) {
      var li = element('li', 'site-search-group');
      var label = element('span', 'site-search-section');
      label.textContent = index.groups[g] || say.site;
      li.appendChild(label);
      var ol = element('ol');
      groups[g].forEach(function (r) { ol.appendChild(item(r, words)); });
      li.appendChild(ol);
      list.appendChild(li);
    });
  }

  /* No result for a query in another script than the language's: offer the search of the
     language written in it (its page, with the query). */
  function suggest(index, query) {
    var letters = normalize(query).split(/\s+/).map(script).filter(function (s) { return s; });
    var written = letters.length ? letters[0] : '';
    if (!written || written === index.script) { return; }
    others.forEach(function (p) {
      var l = p.getAttribute('data-lang');
      if (index.scripts[l] !== written) { return; }
      var a = p.querySelector('a');
      a.href = a.getAttribute('data-href') + '?q=' + encodeURIComponent(query);
      p.hidden = false;
    });
  }

  var generation = 0;
  function run() {
    var mine = ++generation;
    var query = input.value;
    var words = queryWords(query);
    others.forEach(function (p) { p.hidden = true; });
    if (!words.length) { panel.hidden = true; status.textContent = ''; list.textContent = ''; return; }
    panel.hidden = false;
    var answered = false;
    find(words, function (results, index) {
      answered = true;
      if (mine !== generation) { return; }
      if (!results) { list.textContent = ''; status.textContent = say.error; return; }
      show(results, index, words);
      status.textContent = results.length ? '' : say.empty;
      if (!results.length) { suggest(index, query); }
    });
    /* Not answered at once: a script of the index is on its way; the query is kept and runs
       when it arrives (the latest query only). */
    if (!answered) { list.textContent = ''; status.textContent = say.loading; }
  }

  others.forEach(function (p) {
    var a = p.querySelector('a');
    a.setAttribute('data-href', a.getAttribute('href'));
  });
  form.hidden = false;
  input.addEventListener('input', run);
  input.addEventListener('focus', function () { manifest(function () {}); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { input.value = ''; run(); }
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var first = list.querySelector('a');
    if (first) { global.location.href = first.href; }
  });
  doc.addEventListener('click', function (e) {
    if (!form.contains(e.target)) { panel.hidden = true; }
  });
  /* A search handed over from the other language's page (?q=…). */
  var handed = /[?&]q=([^&#]*)/.exec(global.location.search);
  if (handed) {
    try { input.value = decodeURIComponent(handed[1].replace(/\+/g, ' ')); } catch (e) { input.value = ''; }
    if (input.value) { run(); }
  }
})(this);

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
  // Outside a page (the stemmer test runs this file in Node) there is nothing to print.
  if (typeof document === 'undefined' || !document.body) { return; }
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
