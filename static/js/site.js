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
    params.forEach(function (value, key) { if (keys.indexOf(key) < 0) keys.push(key); });
    keys.forEach(function (key) {
      var values = params.getAll(key).filter(function (v) { return v !== ""; });
      params.delete(key);
      values.forEach(function (v) { params.append(key, v); });
    });
    // A request for the list already on screen is not sent. Leaving the search box fires
    // "change" with the words its typing already fetched; the needless answer replaced the
    // results while the reader's pointer was on a link in them ("Clear filters"), so the
    // press and the release landed on two different links and the click never happened.
    var wanted = new URLSearchParams();
    keys.forEach(function (key) { params.getAll(key).forEach(function (v) { wanted.append(key, v); }); });
    var shown = new URLSearchParams(location.search);
    var path = new URL(event.detail.path, location.href).pathname;
    if (path === location.pathname && wanted.toString() === shown.toString()) event.preventDefault();
  });
})();
