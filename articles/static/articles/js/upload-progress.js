/*
 * Photo upload progress bar. Progressive enhancement: without this script (or without
 * FormData), the upload form posts the ordinary way and works the same.
 *
 * The form is sent with XMLHttpRequest, whose upload events report bytes sent. The reply
 * (the describe step after a redirect, or the form again with per-file messages) replaces
 * the page body in place: fetching the redirect target a second time would lose the
 * one-time messages about refused files.
 */
(function () {
  "use strict";

  function percent(loaded, total) {
    return total ? Math.round((loaded / total) * 100) : 0;
  }

  function showPage(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.replaceState(null, "", xhr.responseURL);
    }
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    window.scrollTo(0, 0);
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-upload-progress]") || !window.FormData || !window.DOMParser) return;
    var progress = document.getElementById("upload-progress");
    if (!progress) return;
    event.preventDefault();

    var meter = progress.querySelector("[role=progressbar]");
    var bar = progress.querySelector(".progress-bar");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("[type=submit]");

    function show(value, text) {
      bar.style.width = value + "%";
      bar.textContent = value + "%";
      meter.setAttribute("aria-valuenow", String(value));
      if (text) status.textContent = text;
    }

    function fail(text) {
      bar.classList.remove("progress-bar-animated", "progress-bar-striped");
      bar.classList.add("bg-danger");
      status.textContent = text;
      button.disabled = false;
    }

    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) show(percent(e.loaded, e.total), "Uploading…");
    });
    xhr.upload.addEventListener("load", function () {
      show(100, "Uploaded. Checking the files and making the web sizes…");
      bar.classList.add("progress-bar-striped", "progress-bar-animated");
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 413) {
        fail("The upload is too large for the server. Send fewer or smaller files at a time.");
        return;
      }
      showPage(xhr);
    });
    xhr.addEventListener("error", function () {
      fail("The upload failed. Check your connection and try again.");
    });
    xhr.addEventListener("abort", function () {
      fail("The upload was cancelled.");
    });

    button.disabled = true;
    bar.classList.remove("bg-danger");
    progress.hidden = false;
    show(0, "Starting the upload…");
    xhr.send(new FormData(form));
  });
})();
