/*
 * Photo desk: a photo still processing shows a placeholder; this script asks the desk every
 * two seconds which of those the task worker has finished, and swaps in the picture. A photo
 * the worker could not process (a damaged file) shows why, with its remove button; one that
 * looks like a library photo shows the near-duplicate warning. Without the script, reloading
 * the page does the same. It keeps looking after upload-progress.js replaces the page body,
 * since it reads the placeholders afresh on every round.
 */
(function () {
  "use strict";

  var url = document.currentScript.getAttribute("data-status-url");
  var asking = false;

  function placeholders() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-photo-status]"));
  }

  function showFailure(id, photo) {
    var box = document.querySelector('[data-photo-failure="' + id + '"]');
    if (!box) return;
    box.querySelector("[data-failure-text]").textContent = photo.error;
    box.hidden = false;
  }

  function showNearDuplicates(id, photo) {
    var box = document.querySelector('[data-near-duplicates="' + id + '"]');
    if (!box || !box.hidden || !photo.near_duplicates.length) return;
    var heading = document.createElement("strong");
    heading.textContent = "This looks like " +
      (photo.near_duplicates.length === 1 ? "a photo" : "photos") + " already in the library:";
    box.appendChild(heading);
    box.appendChild(document.createTextNode(" "));
    photo.near_duplicates.forEach(function (other, index) {
      var link = document.createElement("a");
      link.className = "alert-link";
      link.href = other.url;
      link.textContent = other.label;
      if (index) box.appendChild(document.createTextNode(", "));
      box.appendChild(link);
    });
    box.appendChild(document.createTextNode(
      ". It was uploaded all the same; use the older one in stories if it is the same picture."));
    box.hidden = false;
  }

  function show(element, photo, id) {
    if (photo.status === "failed") {
      element.textContent = "Could not be processed";
      element.removeAttribute("data-photo-status");
      element.removeAttribute("role");
      showFailure(id, photo);
      return;
    }
    showNearDuplicates(id, photo);
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
          var id = element.getAttribute("data-photo-status");
          var photo = data.photos[id];
          if (photo && photo.status !== "processing") show(element, photo, id);
        });
      })
      .catch(function () { /* offline for a moment: the next round asks again */ })
      .finally(function () { asking = false; });
  }

  window.setInterval(ask, 2000);
})();
