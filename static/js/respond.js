// Answering page: count answered questions for the progress line, focus the error
// summary and make its links show each question. The form works the same without
// this script.
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
  if (!errors) return;
  errors.focus();
  // A link of the error summary focuses its field with the question's wording in view
  // (the page's own jump would put the first choice at the top, the wording above it).
  errors.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(link.hash.slice(1));
    if (!field) return;
    event.preventDefault();
    field.closest("fieldset").scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
