/* The print edition's "print" button: shown only when JavaScript runs. (The link addresses
   and data tables for the paper are prepared by search.js, which every page loads.) */
(function () {
  'use strict';
  var button = document.querySelector('.print-button');
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
})();
