// 字数 of the article's body, live as the editor types: the rule of
// articles/word_count.py (full-width characters count one, half-width
// ones half, rounded up; spaces nothing). The count the server wrote is
// kept up to date in place.
(function () {
  "use strict";
  var FULL_WIDTH = /[\u00b7\u1100-\u115f\u2014-\u2026\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/gu;
  var SPACE = /\s/gu;

  function wordCount(text) {
    text = (text || "").replace(SPACE, "");
    var full = (text.match(FULL_WIDTH) || []).length;
    var half = Array.from(text).length - full;
    return full + Math.floor((half + 1) / 2);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var body = document.getElementById("id_body");
    var output = document.getElementById("body-word-count");
    if (!body || !output) return;
    function update() {
      output.textContent = String(wordCount(body.value));
    }
    body.addEventListener("input", update);
    update();
  });
})();
