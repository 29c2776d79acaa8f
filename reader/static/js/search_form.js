// The search's address keeps only what was asked: fields left empty (all years,
// all issues…) are not sent, so /search/?q=干部 rather than ?q=干部&year=&issue=….
(function () {
  "use strict";
  var form = document.querySelector("form.search-form");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value.trim() === "") {
        field.disabled = true;
      }
    });
  });
  // Back from the results, the fields are usable again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      field.disabled = false;
    });
  });
})();
