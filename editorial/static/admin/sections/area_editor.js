// The page's scan with its article areas (热区) drawn over it, on the page's admin
// form. The inline rows below the scan are the areas (fractions of the page:
// left, top, width, height); this script draws them with Annotorious and keeps
// the rows and the drawing the same both ways: a rectangle drawn adds a row,
// one moved or resized changes its row's numbers, one deleted ticks its row's
// "delete"; a number typed (or moved with the arrow keys) moves its rectangle.
// Saving the form saves the rows: nothing is sent behind the editor's back.
// Each rectangle shows its number and its article; the chosen (or just drawn)
// area's article is picked beside the buttons, so focus stays by the scan; the
// scan fits the window's height and zooms in and out. Areas found in the print
// PDF are drawn in blue (amber when the finding was unsure) until the editor
// moves, resizes or re-assigns them: then they are the editor's, in red.
(function () {
  "use strict";

  var PREFIX = "areas";
  var FIELDS = ["x", "y", "w", "h"];
  var STYLES = {
    editor: { fill: "#9b1c14", fillOpacity: 0.18, stroke: "#9b1c14", strokeWidth: 2 },
    sure: { fill: "#1d5f8a", fillOpacity: 0.14, stroke: "#1d5f8a", strokeWidth: 2 },
    low: { fill: "#a15c00", fillOpacity: 0.16, stroke: "#a15c00", strokeWidth: 3 }
  };

  // "sure" or "low" for an area found in the print PDF and not touched since; "editor".
  function origin(row) {
    var tag = row && row.querySelector("[data-found]");
    return tag && !row.dataset.touched ? tag.dataset.found : "editor";
  }

  function touch(row) {
    if (row) {
      row.dataset.touched = "1";
    }
  }

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function input(row, field) {
    return row.querySelector('[name$="-' + field + '"]');
  }

  function rows() {
    return Array.prototype.filter.call(
      document.querySelectorAll("#" + PREFIX + "-group tr.form-row"),
      function (row) {
        return /-\d+$/.test(row.id) && input(row, "x");
      }
    );
  }

  function deleted(row) {
    var box = input(row, "DELETE");
    return box && box.checked;
  }

  function round(value) {
    // Thousandths of the page: the step the number fields move by with the arrow keys.
    return Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 1000;
  }

  ready(function () {
    var editor = document.querySelector(".area-editor");
    var image = editor && editor.querySelector(".area-editor__scan");
    if (!image || !window.Annotorious) {
      return;
    }
    var drawButton = editor.querySelector('[data-action="draw"]');
    var deleteButton = editor.querySelector('[data-action="delete"]');
    var status = editor.querySelector(".area-editor__status");
    var labels = editor.querySelector(".area-editor__labels");
    var picker = editor.querySelector(".area-editor__article");
    var pickerLabel = editor.querySelector(".area-editor__picker");
    var anno = null;
    var syncing = false;
    var chosen = null; // the row whose article the picker shows
    var zoom = 1;

    function size() {
      return { w: image.naturalWidth || image.width, h: image.naturalHeight || image.height };
    }

    function shape(row) {
      var s = size();
      var v = FIELDS.map(function (field) {
        return parseFloat(input(row, field).value);
      });
      if (v.some(isNaN) || v[2] <= 0 || v[3] <= 0) {
        return null;
      }
      var x = v[0] * s.w, y = v[1] * s.h, w = v[2] * s.w, h = v[3] * s.h;
      return {
        id: row.id,
        bodies: [],
        target: {
          annotation: row.id,
          selector: {
            type: "RECTANGLE",
            geometry: { x: x, y: y, w: w, h: h, bounds: { minX: x, minY: y, maxX: x + w, maxY: y + h } }
          }
        }
      };
    }

    function fill(row, geometry) {
      var s = size();
      var values = [geometry.x / s.w, geometry.y / s.h, geometry.w / s.w, geometry.h / s.h];
      values[2] = Math.min(values[2], 1 - round(values[0]));
      values[3] = Math.min(values[3], 1 - round(values[1]));
      FIELDS.forEach(function (field, index) {
        input(row, field).value = round(values[index]);
      });
    }

    function articleName(row) {
      var select = input(row, "article");
      var option = select && select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function say(text) {
      status.textContent = text;
    }

    function live() {
      return rows().filter(function (row) {
        return !deleted(row);
      });
    }

    function showLabels() {
      if (!labels) {
        return;
      }
      labels.textContent = "";
      live().forEach(function (row, index) {
        var v = FIELDS.map(function (field) {
          return parseFloat(input(row, field).value);
        });
        if (v.some(isNaN)) {
          return;
        }
        var label = document.createElement("span");
        var from = origin(row);
        label.className =
          "area-editor__label" +
          (from === "editor" ? "" : " area-editor__label--" + from) +
          // Above its area, off the printed title; inside it at the page's top edge.
          (v[1] < 0.03 ? " area-editor__label--inside" : "");
        label.style.left = v[0] * 100 + "%";
        label.style.top = v[1] * 100 + "%";
        label.textContent = index + 1 + " " + (articleName(row) || "?");
        labels.appendChild(label);
      });
    }

    function choose(row) {
      chosen = row;
      var select = row && input(row, "article");
      if (!picker || !select) {
        if (pickerLabel) {
          pickerLabel.hidden = true;
        }
        return;
      }
      if (!picker.options.length) {
        Array.prototype.forEach.call(select.options, function (option) {
          picker.appendChild(new Option(option.text, option.value));
        });
      }
      picker.value = select.value;
      pickerLabel.hidden = false;
    }

    if (picker) {
      picker.addEventListener("change", function () {
        var select = chosen && input(chosen, "article");
        if (select) {
          touch(chosen);
          select.value = picker.value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          say(articleName(chosen));
        }
      });
    }

    editor.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.dataset.zoom;
        zoom = how === "in" ? Math.min(zoom * 1.5, 4) : how === "out" ? Math.max(zoom / 1.5, 0.5) : 1;
        editor.style.setProperty("--scan-zoom", zoom);
        editor.classList.toggle("area-editor--zoomed", zoom !== 1);
      });
    });

    function redraw() {
      syncing = true;
      anno.setAnnotations(
        rows()
          .filter(function (row) {
            return !deleted(row);
          })
          .map(shape)
          .filter(Boolean),
        true
      );
      syncing = false;
      showLabels();
    }

    function newRow() {
      var before = rows().length;
      var add = document.querySelector("#" + PREFIX + "-group .add-row a");
      if (add) {
        add.click();
      }
      var all = rows();
      return all.length > before ? all[all.length - 1] : null;
    }

    function rowOf(annotation) {
      return document.getElementById(annotation.id);
    }

    function start() {
      anno = window.Annotorious.createImageAnnotator(image, {
        drawingEnabled: false,
        drawingMode: "drag",
        style: function (annotation) {
          return STYLES[origin(document.getElementById(annotation.id))] || STYLES.editor;
        }
      });
      anno.setDrawingTool("rectangle");
      redraw();

      anno.on("createAnnotation", function (annotation) {
        if (syncing) {
          return;
        }
        var row = newRow();
        var geometry = annotation.target.selector.geometry;
        anno.removeAnnotation(annotation.id);
        if (!row) {
          say(editor.dataset.full || "");
          return;
        }
        fill(row, geometry);
        redraw();
        setDrawing(false);
        // The article is picked beside the buttons: focus stays by the scan, the
        // page does not jump to the new row below.
        choose(row);
        if (picker) {
          picker.focus({ preventScroll: true });
        }
        say(drawButton.dataset.drawn || "");
      });

      anno.on("updateAnnotation", function (annotation) {
        var row = rowOf(annotation);
        if (!syncing && row) {
          touch(row);
          fill(row, annotation.target.selector.geometry);
          showLabels();
        }
      });

      anno.on("deleteAnnotation", function (annotation) {
        var row = rowOf(annotation);
        if (!syncing && row) {
          remove(row);
        }
      });

      anno.on("selectionChanged", function (selected) {
        deleteButton.disabled = !selected.length;
        if (selected.length) {
          var row = rowOf(selected[0]);
          if (row) {
            choose(row);
            say(articleName(row));
          }
        }
      });
    }

    function remove(row) {
      var box = input(row, "DELETE");
      if (box) {
        box.checked = true; // a saved area: deleted when the form is saved
      } else {
        var link = row.querySelector(".inline-deletelink");
        if (link) {
          link.click(); // a row not saved yet: gone
        }
      }
    }

    function setDrawing(on) {
      anno.setDrawingEnabled(on);
      drawButton.setAttribute("aria-pressed", on ? "true" : "false");
      editor.classList.toggle("area-editor--drawing", on);
    }

    drawButton.addEventListener("click", function () {
      setDrawing(drawButton.getAttribute("aria-pressed") !== "true");
    });

    deleteButton.addEventListener("click", function () {
      anno.getSelected().forEach(function (annotation) {
        var row = rowOf(annotation);
        anno.cancelSelected();
        if (row) {
          remove(row);
        }
      });
      redraw();
      deleteButton.disabled = true;
    });

    // Numbers typed in the rows (or stepped with the arrow keys) move the rectangles.
    function typed(event) {
      if (anno && event.target.closest("#" + PREFIX + "-group")) {
        if (event.isTrusted) {
          touch(event.target.closest("tr"));
        }
        redraw();
      }
    }
    document.addEventListener("input", typed);
    document.addEventListener("change", typed);

    if (image.complete && image.naturalWidth) {
      start();
    } else {
      image.addEventListener("load", start);
    }
  });
})();
