// The team picker of the campaign form (surveys/forms/team_picker.py): filter the list
// as one types. Without this script the picker's Search button asks the server instead.
(function () {
  "use strict";

  // The same folding as surveys.forms.team_picker.folded: lower case, no accents.
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  document.querySelectorAll("[data-team-picker]").forEach(function (picker) {
    const search = picker.querySelector("[data-team-picker-search]");
    const none = picker.querySelector("[data-team-picker-none]");
    const find = picker.querySelector("[data-team-picker-find]");
    if (!search) return;
    if (find) {
      // Filtering is live: the button would only reload the page (and, being the first
      // submit button of the form, it is the one Enter would press in any field).
      find.type = "button";
      find.hidden = true;
    }

    function filter() {
      const words = folded(search.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      picker.querySelectorAll("[data-team-picker-group]").forEach(function (group) {
        let inGroup = 0;
        group.querySelectorAll("[data-team-picker-row]").forEach(function (row) {
          const match = words.every((word) => row.dataset.search.includes(word));
          row.hidden = !match;
          if (match) inGroup += 1;
        });
        group.hidden = inGroup === 0;
        shown += inGroup;
      });
      if (none) none.hidden = shown > 0;
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      // Enter in the search box filters; it does not submit the campaign.
      if (event.key === "Enter") {
        event.preventDefault();
        filter();
      }
    });
    filter();
  });
})();
