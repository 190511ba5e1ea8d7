/*
 * "Readers see: Jane Doe / Agency file" under a photo's credit field, kept up to date while
 * staff type. The server decides the credit on save (articles/photos/credits.py) and prints
 * this line itself, so without this script the line is right after saving.
 *
 * Listens on the document, not on the fields: the upload form swaps the page body in place
 * (upload-progress.js), and scripts in a swapped-in body do not run.
 */
(function () {
  "use strict";

  function compose(photographer, source, isFile) {
    var parts = [photographer.trim(), source.trim()].filter(Boolean);
    if (parts.length && isFile) parts[parts.length - 1] += " file";
    return parts.join(" / ");
  }

  function update(line) {
    var ids = JSON.parse(line.dataset.fields);
    var built = JSON.parse(line.dataset.built);
    var field = function (name) { return document.getElementById(ids[name]); };
    if (!field("credit") || !field("photographer") || !field("source") || !field("is_file_photo")) return;
    var typed = field("credit").value.trim();
    var fromParts = compose(field("photographer").value, field("source").value, field("is_file_photo").checked);
    var isBuilt = !typed || built.indexOf(typed) !== -1;
    var credit = isBuilt ? fromParts : typed;
    if (isBuilt && typed && typed !== fromParts) {
      // A built credit in the box follows its parts, as it will on saving.
      field("credit").value = fromParts;
      built.push(fromParts);
      line.dataset.built = JSON.stringify(built);
    }
    line.textContent = "";
    if (!credit) {
      line.textContent = "Readers see no credit: give a credit, or a photographer or an agency.";
      return;
    }
    var strong = document.createElement("strong");
    strong.textContent = credit;
    line.append("Readers see: ", strong,
      isBuilt ? " (built from the photographer and the agency)" : " (the credit as typed)");
  }

  function updateAll() {
    document.querySelectorAll("[data-credit-readers]").forEach(update);
  }

  document.addEventListener("input", updateAll);
  document.addEventListener("change", updateAll);
  document.addEventListener("DOMContentLoaded", updateAll);
})();
