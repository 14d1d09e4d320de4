/* The print edition's "print" button: shown only when JavaScript runs. */
(function () {
  'use strict';
  var button = document.querySelector('.print-button');
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
})();
