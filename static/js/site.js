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

// My magnesium day (/planner/): "Add to my day" adds to the plan this tab last showed, not a new one.
// The planner's address (the plan itself) is kept in this tab's sessionStorage, which the browser
// forgets when the tab closes and never sends anywhere; without JavaScript the link starts a plan.
(function () {
  "use strict";
  var KEY = "magnesium-day";
  var PLANNER = "/planner/";
  function remember() {
    if (location.pathname !== PLANNER) return;
    try { sessionStorage.setItem(KEY, location.search.replace(/^\?/, "")); } catch (e) { /* storage off */ }
  }
  remember();
  document.addEventListener("htmx:pushedIntoHistory", remember);
  document.addEventListener("htmx:replacedInHistory", remember);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-add-to-day]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var saved;
    try { saved = sessionStorage.getItem(KEY); } catch (e) { return; }
    if (!saved) return;
    var plan = new URLSearchParams(saved);
    new URL(link.href, location.href).searchParams.forEach(function (value, key) {
      if (key === "stage") plan.set(key, value); else plan.append(key, value);
    });
    event.preventDefault();
    location.assign(PLANNER + "?" + plan.toString().replace(/%3A/g, ":").replace(/%7C/g, "|"));
  });
})();
