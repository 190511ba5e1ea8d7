/*
 * Clicking the photo sets the focal point fields; typing in them still works without this.
 * The ring is moved through SVG attributes, which the Content-Security-Policy allows.
 */
(function () {
  "use strict";
  var preview = document.getElementById("focal-preview");
  var mark = document.getElementById("focal-mark");
  var point = document.getElementById("focal-point");
  var x = document.getElementById("id_focal_x");
  var y = document.getElementById("id_focal_y");
  if (!preview || !mark || !point || !x || !y) return;
  preview.classList.add("desk-focal-editable");
  preview.addEventListener("click", function (event) {
    var box = preview.querySelector("img").getBoundingClientRect();
    var fx = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    var fy = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
    x.value = fx.toFixed(2);
    y.value = fy.toFixed(2);
    point.setAttribute("x", (fx * 100).toFixed(1) + "%");
    point.setAttribute("y", (fy * 100).toFixed(1) + "%");
    mark.hidden = false;
  });
})();
