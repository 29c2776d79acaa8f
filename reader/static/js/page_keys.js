// ← and → turn to the previous and the next page (上一版/下一版) on a page, and to
// the previous and next article on an article, as the links of the prev-next
// bar do; the strip of scans is scrolled to show the current page.
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (typing(event.target)) {
      return;
    }
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    var link = rel && document.querySelector('.prev-next a[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

  var current = document.querySelector('.page-strip a[aria-current="page"]');
  if (current) {
    var strip = current.closest(".page-strip");
    strip.scrollLeft = current.parentElement.offsetLeft - strip.offsetLeft - strip.clientWidth / 2;
  }
})();
