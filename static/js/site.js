// Small progressive enhancements; the site works without this file.
(function () {
  "use strict";
  // Filter forms: leave empty fields out of htmx GET requests, so the URL that is pushed
  // (and shared or bookmarked) says only what the reader chose: /foods/?group=nuts,
  // not /foods/?q=&group=nuts&min_mg=.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var params = event.detail.parameters;
    var keys = [];
    params.forEach(function (value, key) { keys.push(key); });
    keys.forEach(function (key) {
      var values = params.getAll(key).filter(function (v) { return v !== ""; });
      params.delete(key);
      values.forEach(function (v) { params.append(key, v); });
    });
  });
  // A plain link (such as "Clear filters") leaves the page: an answer to a filter form that
  // arrives after that is dropped. Clicking the link blurs the search box, whose "change" sends
  // the old filters; swapping that answer in pushed its URL, which cancelled the navigation and
  // left the reader on the filtered list. (Cancelling beforeSwap skips the swap and the push.)
  var leaving = false;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || link.hasAttribute("data-hx-get") || event.defaultPrevented) return;
    // Not a navigation away from this page: a new tab or window, a download, a jump within the page.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (link.target === "_blank" || link.hasAttribute("download")) return;
    if (link.origin === location.origin && link.pathname === location.pathname && link.search === location.search) return;
    leaving = true;
    setTimeout(function () { leaving = false; }, 10000); // the navigation did not happen after all
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (leaving) event.preventDefault();
  });
  // Back from the next page restores this one from the bfcache with the flag still set.
  window.addEventListener("pageshow", function () { leaving = false; });
})();
