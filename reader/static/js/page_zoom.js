// The page view's scan made zoomable with OpenSeadragon: pinch and double-tap on a
// phone, the wheel, the buttons and + − 0 on a desktop. It draws the page's web
// rendition first and its zoom rendition as the reader zooms in, so the small print
// stays sharp; the articles' areas ride on it as the same links, aligned at every
// zoom. At the whole-page size a horizontal swipe turns the page (上一版/下一版).
//
// OpenSeadragon (some 280 KB of script) is fetched when the reader first reaches for
// the page (a touch, the mouse over it, the wheel, a button or a key), not with
// the page: a reader who only reads the titles never runs it, and the page is
// usable at once. Its viewer then lies exactly over the scan, which keeps its place,
// so nothing on the page moves. Without JavaScript the page is the scan and its links.
(function () {
  "use strict";

  var sheet = document.querySelector(".page-scan__sheet[data-zoom]");
  if (!sheet) {
    return;
  }
  var STEP = 1.6;
  var image = sheet.querySelector(".page-scan__image");
  var labels = sheet.getAttribute("data-zoom-labels").split("|");
  var viewer = null;
  var waiting = []; // what to do once the viewer is there
  var fetching = false;

  function wake(then) {
    if (then) {
      waiting.push(then);
    }
    if (viewer && viewer.isOpen()) {
      while (waiting.length) {
        waiting.shift()();
      }
      return;
    }
    if (fetching) {
      return;
    }
    fetching = true;
    var script = document.createElement("script");
    script.src = sheet.getAttribute("data-zoom-script");
    script.onload = open;
    document.head.appendChild(script);
  }

  function zoomBy(factor) {
    wake(function () {
      if (factor) {
        viewer.viewport.zoomBy(factor);
      } else {
        viewer.viewport.goHome();
      }
      viewer.viewport.applyConstraints();
    });
  }

  function open() {
    var web = {
      url: image.getAttribute("src"),
      width: Number(image.getAttribute("width")),
      height: Number(image.getAttribute("height")),
    };
    var sharp = {
      url: sheet.getAttribute("data-zoom"),
      width: Number(sheet.getAttribute("data-zoom-width")),
      height: Number(sheet.getAttribute("data-zoom-height")),
    };
    var tall = web.height / web.width; // the page's height when its width is 1
    var links = Array.prototype.slice.call(sheet.querySelectorAll(".page-area"));
    var box = document.createElement("div");
    box.className = "page-zoom";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", image.getAttribute("alt"));
    sheet.insertBefore(box, image);
    sheet.classList.add("page-scan__sheet--zoom");

    viewer = OpenSeadragon({
      element: box,
      tileSources: {
        type: "legacy-image-pyramid",
        levels: sharp.width > web.width ? [web, sharp] : [web],
      },
      drawer: "canvas",
      showNavigationControl: false,
      visibilityRatio: 1,
      constrainDuringPan: true,
      minZoomImageRatio: 1,
      maxZoomPixelRatio: 2.5,
      animationTime: 0.35,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true, scrollToZoom: true },
      gestureSettingsTouch: {
        clickToZoom: false,
        dblClickToZoom: true,
        pinchToZoom: true,
        flickEnabled: true,
      },
    });
    // + − 0 are ours (below); OpenSeadragon's own keys would pan on the arrows,
    // which turn the page here (page_keys.js).
    viewer.addHandler("canvas-key", function (event) {
      event.preventDefaultAction = true;
    });
    viewer.addHandler("open", function () {
      sheet.classList.add("page-scan__sheet--zoomed"); // the scan stays, unseen, for its place
      links.forEach(function (link) {
        var left = parseFloat(link.style.left) / 100;
        var top = parseFloat(link.style.top) / 100;
        var width = parseFloat(link.style.width) / 100;
        var height = parseFloat(link.style.height) / 100;
        viewer.addOverlay({
          element: link,
          location: new OpenSeadragon.Rect(left, top * tall, width, height * tall),
        });
        // A tap on an area opens its article; a drag that starts on it pans the page.
        new OpenSeadragon.MouseTracker({
          element: link,
          clickHandler: function (event) {
            if (event.quick) {
              window.location.assign(link.href);
            }
          },
        });
      });
      box.setAttribute("data-ready", "");
      wake();
    });
  }

  // The buttons, over the page's corner: nothing below them moves.
  var buttons = document.createElement("div");
  buttons.className = "page-zoom__buttons";
  [
    ["+", labels[0], STEP],
    ["−", labels[1], 1 / STEP],
    ["⤢", labels[2], 0],
  ].forEach(function (spec) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = spec[0];
    button.setAttribute("aria-label", spec[1]);
    button.title = spec[1];
    button.addEventListener("click", function () {
      zoomBy(spec[2]);
    });
    buttons.appendChild(button);
  });
  sheet.appendChild(buttons);

  ["pointerdown", "mouseenter", "wheel", "focusin"].forEach(function (type) {
    sheet.addEventListener(type, function () {
      wake();
    }, { passive: true });
  });
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    var factor = { "+": STEP, "=": STEP, "-": 1 / STEP, _: 1 / STEP, 0: 0 }[event.key];
    if (factor !== undefined) {
      event.preventDefault();
      zoomBy(factor);
    }
  });

  // A one-finger swipe across the page at its whole size turns it; zoomed in, a drag
  // pans instead, and two fingers pinch.
  var start = null;
  function wholePage() {
    return !viewer || !viewer.isOpen() ||
      viewer.viewport.getZoom() <= viewer.viewport.getHomeZoom() * 1.05;
  }
  sheet.addEventListener("touchstart", function (event) {
    start = event.touches.length === 1 && wholePage() ? event.touches[0] : null;
    if (start) {
      start = { x: start.clientX, y: start.clientY };
    }
  }, { passive: true });
  sheet.addEventListener("touchmove", function (event) {
    if (event.touches.length > 1) {
      start = null;
    }
  }, { passive: true });
  sheet.addEventListener("touchend", function (event) {
    var end = event.changedTouches[0];
    if (!start || !end || !wholePage()) {
      start = null;
      return;
    }
    var dx = end.clientX - start.x;
    var dy = end.clientY - start.y;
    start = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      var link = document.querySelector('.prev-next a[rel="' + (dx < 0 ? "next" : "prev") + '"]');
      if (link) {
        window.location.assign(link.href);
      }
    }
  }, { passive: true });
})();
