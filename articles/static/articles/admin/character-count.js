"use strict";
// Live character counts under the fields where length matters to readers and search engines.
(function () {
  const guidance = {
    id_headline: 90,
    id_dek: 240,
    id_seo_title: 60,
    id_seo_description: 155,
  };
  function attach(input, ideal) {
    const note = document.createElement("div");
    note.className = "help newsroom-count";
    note.setAttribute("aria-live", "polite");
    const max = input.maxLength > 0 ? input.maxLength : null;
    function update() {
      const n = input.value.length;
      note.textContent = `${n} characters` + (max ? ` of ${max}` : "") +
        (n > ideal ? ` — longer than the ${ideal} that show in full in search results and feeds` : "");
      note.classList.toggle("newsroom-count--long", n > ideal);
    }
    input.addEventListener("input", update);
    input.insertAdjacentElement("afterend", note);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    for (const [id, ideal] of Object.entries(guidance)) {
      const input = document.getElementById(id);
      if (input) attach(input, ideal);
    }
  });
})();
