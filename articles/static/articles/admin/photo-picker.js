"use strict";
// Show a thumbnail and credit beside each photo offered for the lead photo.
// Runs on "load", after Django's jQuery and autocomplete.js have set the field up.
window.addEventListener("load", function () {
  const $ = django.jQuery;
  const select = document.getElementById("id_lead_photo");
  if (!$ || !select || !$(select).data("select2")) return;

  function photoOption(item) {
    if (!item.thumbnail) return item.text;
    const row = document.createElement("span");
    row.className = "newsroom-photo-option";
    const image = document.createElement("img");
    image.src = item.thumbnail;
    image.alt = "";
    image.width = 48;
    image.height = 48;
    const label = document.createElement("span");
    label.textContent = item.text;
    row.append(image, label);
    return $(row);
  }

  $(select).select2("destroy").select2({
    ajax: {
      data: (params) => ({
        term: params.term,
        page: params.page,
        app_label: select.dataset.appLabel,
        model_name: select.dataset.modelName,
        field_name: select.dataset.fieldName,
      }),
    },
    templateResult: photoOption,
    templateSelection: photoOption,
    width: "32em",
  });
});
