/*
 * Photo desk: a photo still processing shows a placeholder; this script asks the desk every
 * two seconds which of those the task worker has finished, and swaps in the picture. Without
 * it, reloading the page does the same. It keeps looking after upload-progress.js replaces
 * the page body, since it reads the placeholders afresh on every round.
 */
(function () {
  "use strict";

  var url = document.currentScript.getAttribute("data-status-url");
  var asking = false;

  function placeholders() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-photo-status]"));
  }

  function show(element, photo) {
    if (photo.status === "failed") {
      element.textContent = "Could not be processed";
      element.removeAttribute("data-photo-status");
      element.removeAttribute("role");
      return;
    }
    var picture = document.createElement("img");
    var square = element.getAttribute("data-photo-kind") === "square";
    picture.src = square ? photo.thumbnail : photo.image;
    picture.alt = "";
    picture.className = element.className.replace("photo-pending", "").trim();
    if (square) picture.style.objectFit = "cover";
    element.replaceWith(picture);
  }

  function ask() {
    var waiting = placeholders();
    if (asking || !waiting.length) return;
    var ids = waiting.map(function (element) { return element.getAttribute("data-photo-status"); });
    asking = true;
    fetch(url + "?ids=" + ids.join(","), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        waiting.forEach(function (element) {
          var photo = data.photos[element.getAttribute("data-photo-status")];
          if (photo && photo.status !== "processing") show(element, photo);
        });
      })
      .catch(function () { /* offline for a moment: the next round asks again */ })
      .finally(function () { asking = false; });
  }

  window.setInterval(ask, 2000);
})();
