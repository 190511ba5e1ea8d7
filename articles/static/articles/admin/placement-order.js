"use strict";
// The front page editor's ordering: drag a story's handle, or focus it and press the arrow
// keys, and the zone's position numbers are rewritten in the new order. Without JavaScript the
// position boxes do the same job by hand.
{
  const ROW = "tr.form-row:not(.empty-form)";
  let dragged = null;

  function storyChosen(row) {
    const select = row.querySelector("td.field-article select");
    return select && select.value !== "";
  }

  function renumber(tbody) {
    let position = 1;
    for (const row of tbody.querySelectorAll(ROW)) {
      const input = row.querySelector("td.field-position input");
      // Rows with no story stay as they are, so an empty extra row is not taken as filled in.
      if (input && storyChosen(row)) input.value = position++;
    }
  }

  function addHandle(row) {
    const cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".placement-handle")) return;
    const handle = document.createElement("button");
    handle.type = "button";
    handle.className = "placement-handle";
    handle.textContent = "⠿";
    handle.title = "Drag, or use the arrow keys, to move this story";
    handle.setAttribute("aria-label", "Move this story: arrow up or down");
    cell.prepend(handle);
    handle.addEventListener("mousedown", () => { row.draggable = true; });
    handle.addEventListener("keydown", (event) => {
      const sibling = event.key === "ArrowUp" ? row.previousElementSibling
        : event.key === "ArrowDown" ? row.nextElementSibling : null;
      if (!sibling || !sibling.matches(ROW)) return;
      event.preventDefault();
      if (event.key === "ArrowUp") sibling.before(row); else sibling.after(row);
      renumber(row.parentElement);
      handle.focus();
    });
  }

  function setUp(zone) {
    const tbody = zone.querySelector("tbody");
    if (!tbody || tbody.dataset.ordering) return;
    tbody.dataset.ordering = "on";
    tbody.querySelectorAll(ROW).forEach(addHandle);
    tbody.addEventListener("dragstart", (event) => {
      dragged = event.target.closest(ROW);
      if (!dragged) return;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      dragged.classList.add("placement-dragging");
    });
    tbody.addEventListener("dragover", (event) => {
      const over = event.target.closest(ROW);
      if (!dragged || !over || over === dragged || over.parentElement !== dragged.parentElement) return;
      event.preventDefault();
      const box = over.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) over.before(dragged); else over.after(dragged);
    });
    tbody.addEventListener("drop", (event) => event.preventDefault());
    tbody.addEventListener("dragend", () => {
      if (!dragged) return;
      dragged.classList.remove("placement-dragging");
      dragged.draggable = false;
      dragged = null;
      renumber(tbody);
    });
    // A story picked in a new row takes the next position. The autocomplete announces its
    // change through jQuery, which native listeners do not hear.
    django.jQuery(tbody).on("change", "td.field-article select", () => renumber(tbody));
  }

  function setUpAll() {
    document.querySelectorAll("fieldset.placement-zone").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", setUpAll);
  document.addEventListener("formset:added", (event) => {
    if (event.target.closest("fieldset.placement-zone")) addHandle(event.target);
  });
}
