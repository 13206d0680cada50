// app.js: focus after an in-place update. Pages work without it; htmx
// (loaded before it, both deferred) swaps parts of a page, and this moves
// focus into what was swapped in, so a keyboard or screen-reader user is
// not left on <body> with the element they used gone.
//
// After every swap, focus goes to the first element inside the swapped-in
// content (or the content itself) that is, in document order:
//   [data-focus-after-swap]  the result to read first: a thanks heading,
//                            an error summary. Give it tabindex="-1" when it
//                            is not focusable itself.
//   [autofocus]              what a full page load would focus.
//   .error-summary           a refused form's summary.
// When there is none, the swapped-in element itself is focused (with
// tabindex="-1" added), so focus is never left on <body>.
// Out-of-band swaps (data-hx-swap-oob) update other parts of the page and
// do not move focus.
//
// To use it in a template: mark the result of a data-hx-* request with
// data-focus-after-swap (and tabindex="-1" unless it is a control or a
// link), e.g. <h2 tabindex="-1" data-focus-after-swap>Thank you</h2>.
(function () {
  "use strict";
  var wanted = "[data-focus-after-swap], [autofocus], .error-summary";

  function focusIn(el) {
    var to = el.matches(wanted) ? el : el.querySelector(wanted);
    if (!to) {
      to = el;
      if (!to.hasAttribute("tabindex")) {
        to.setAttribute("tabindex", "-1");
      }
    }
    to.focus();
  }

  // htmx fires afterSettle on each element it settled, out-of-band ones
  // too, each time with the request's target in detail.target: focus is
  // moved into that target only, however often the event comes.
  document.addEventListener("htmx:afterSettle", function (evt) {
    var el = evt.detail && evt.detail.target;
    if (!el) {
      return;
    }
    // An outerHTML swap replaces the target: find its successor by id.
    if (!el.isConnected && el.id) {
      el = document.getElementById(el.id);
    }
    if (el && el.isConnected) {
      focusIn(el);
    }
  });
})();
