"use strict";
// The lead-photo picker: a thumbnail and the credit beside every photo offered.
// Loaded right after Django's autocomplete.js (PhotoPickerWidget.media), it takes over the
// set-up of fields marked data-photo-picker, so Django's own set-up never races with it.
{
  const $ = django.jQuery;
  const djangoSetUp = $.fn.djangoAdminSelect2;

  function photoOption(item) {
    const data = item.element ? item.element.dataset : {};
    const thumbnail = item.thumbnail || data.thumbnail;
    const credit = item.credit !== undefined ? item.credit : data.credit;
    if (!thumbnail && !credit) return item.text;
    const row = document.createElement("span");
    row.className = "newsroom-photo-option";
    if (thumbnail) {
      const image = document.createElement("img");
      image.src = thumbnail;
      image.alt = "";
      image.width = 48;
      image.height = 48;
      row.append(image);
    }
    const label = document.createElement("span");
    label.textContent = item.text;
    if (credit) {
      const creditLine = document.createElement("small");
      creditLine.className = "newsroom-photo-credit";
      creditLine.textContent = credit;
      label.append(document.createElement("br"), creditLine);
    }
    row.append(label);
    return $(row);
  }

  function setUpPicker(element) {
    if ($(element).data("select2")) $(element).select2("destroy");
    $(element).select2({
      ajax: {
        data: (params) => ({
          term: params.term,
          page: params.page,
          app_label: element.dataset.appLabel,
          model_name: element.dataset.modelName,
          field_name: element.dataset.fieldName,
        }),
      },
      templateResult: photoOption,
      templateSelection: photoOption,
      width: "32em",
    });
    element.dataset.photoPickerReady = "";
  }

  $.fn.djangoAdminSelect2 = function () {
    djangoSetUp.call(this.not("[data-photo-picker]"));
    this.filter("[data-photo-picker]").each((i, element) => setUpPicker(element));
    return this;
  };

  // Should Django's set-up have run before this file, set the pickers up again.
  $(() => $("[data-photo-picker]:not([data-photo-picker-ready])").not("[name*=__prefix__]").each(
    (i, element) => setUpPicker(element)
  ));
}
