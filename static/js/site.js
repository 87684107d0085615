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
})();
