// Answering page: count answered questions for the progress line, and bring the
// first error into view. The form works the same without this script.
"use strict";
(function () {
  const form = document.querySelector("[data-questionnaire]");
  if (!form) return;
  const counter = document.querySelector("[data-progress-count]");
  const fieldsets = Array.from(form.querySelectorAll("fieldset.question"));
  function answered(fieldset) {
    const text = fieldset.querySelector("textarea");
    if (text) return text.value.trim() !== "";
    return fieldset.querySelector("input:checked") !== null;
  }
  function update() {
    counter.textContent = fieldsets.filter(answered).length;
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
