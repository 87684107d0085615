// /foods/: a change of scope or of the foods to compare changes the filter form too (the
// scope's food groups, the "Foods to compare" boxes), so such a request asks for the form and
// the results together (?part=listing; the server swaps #food-listing and shows the address
// without that word); the default scope is left out of the address. The page works without
// this file: the form is then a plain GET form.
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var listing = document.getElementById("food-listing");
    var form = event.detail.elt;
    if (!listing || event.detail.verb !== "get" || form.tagName !== "FORM" || !listing.contains(form)) return;
    var params = event.detail.parameters;
    var scope = params.getAll("scope")[0] || "featured";
    // The default scope is left out of the address, as it was before there was a choice.
    if (scope === "featured") params.delete("scope");
    var compare = params.getAll("compare").join(" ");
    if (scope !== listing.dataset.scope || compare !== listing.dataset.compare) params.append("part", "listing");
  });
})();
