/* Printing, on every page of the default theme.
   - The print edition's "print" button: shown only when JavaScript runs.
   - Before printing, each link gets the address the paper shows after it (CSS prints
     attr(data-print-href), else the raw href): the full address when the page came from a
     server, else the site's base_url (from <body data-base-url>) followed by the path from
     the site root (<body data-root>), else that path alone (fr/methodologie/index.html),
     which reads better than ../../../fr/methodologie/index.html.
   - The data tables under the charts (closed <details>) are opened for the paper, and closed
     again afterwards. */
(function () {
  'use strict';
  var button = document.querySelector('.print-button');
  if (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  }

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
