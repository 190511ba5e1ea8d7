"use strict";
// The gallery viewer. Without it a gallery is a list of figures that scrolls sideways, one per
// view (swipe, or focus it and scroll with the arrow keys). With it the gallery gets labelled
// Previous / Next buttons, a counter that screen readers hear ("2 of 5"), and the arrow,
// Home and End keys move exactly one photo, or to the first or last one.
(() => {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function enhance(gallery) {
    const list = gallery.querySelector(".gallery-items");
    const items = Array.from(list.querySelectorAll(".gallery-item"));
    if (items.length < 2) return;
    const title = gallery.querySelector(".gallery-title");
    const titleText = title ? title.firstChild.textContent.trim() : "gallery";

    const controls = document.createElement("div");
    controls.className = "gallery-controls";
    const previous = button("gallery-previous", "‹", `Previous photo in ${titleText}`);
    const next = button("gallery-next", "›", `Next photo in ${titleText}`);
    const counter = document.createElement("p");
    counter.className = "gallery-counter";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("aria-atomic", "true");
    controls.append(previous, counter, next);
    list.after(controls);
    gallery.classList.add("gallery-enhanced");
    list.setAttribute("aria-label", `${titleText}: photos. Arrow keys move between them.`);

    let current = 0;

    function show(index, { announce = true } = {}) {
      current = Math.max(0, Math.min(items.length - 1, index));
      previous.setAttribute("aria-disabled", String(current === 0));
      next.setAttribute("aria-disabled", String(current === items.length - 1));
      const text = `${current + 1} of ${items.length}`;
      // Announced only when it changes, so scrolling does not repeat it.
      if (announce && counter.textContent !== text) counter.textContent = text;
    }

    function go(index) {
      show(index);
      const behavior = reducedMotion.matches ? "auto" : "smooth";
      list.scrollTo({ left: items[current].offsetLeft - items[0].offsetLeft, behavior });
    }

    previous.addEventListener("click", () => go(current - 1));
    next.addEventListener("click", () => go(current + 1));
    list.addEventListener("keydown", (event) => {
      const moves = { ArrowLeft: current - 1, ArrowRight: current + 1, Home: 0, End: items.length - 1 };
      if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      go(moves[event.key]);
    });
    // A swipe (or a scroll by other means) moves the counter to the photo in view.
    let settle = null;
    list.addEventListener("scroll", () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        const width = items[0].getBoundingClientRect().width || 1;
        const step = items.length > 1 ? items[1].offsetLeft - items[0].offsetLeft : width;
        show(Math.round(list.scrollLeft / (step || width)));
      }, 120);
    });
    show(0);
  }

  function button(className, symbol, label) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `gallery-button ${className}`;
    element.setAttribute("aria-label", label);
    element.title = label;
    const glyph = document.createElement("span");
    glyph.setAttribute("aria-hidden", "true");
    glyph.textContent = symbol;
    element.append(glyph);
    return element;
  }

  document.querySelectorAll(".gallery").forEach(enhance);
})();
