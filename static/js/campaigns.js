// Campaign pages: live counts while a campaign is open, and the poster's print button.
(function () {
  "use strict";

  const REFRESH_MS = 15000;

  function show(key, counts) {
    for (const [name, value] of Object.entries(counts)) {
      const cell = document.querySelector(`[data-count="${CSS.escape(key + ":" + name)}"]`);
      if (!cell) continue;
      if (name === "response_rate") {
        cell.textContent = value === null ? "—" : Math.round(value * 100) + "%";
      } else {
        cell.textContent = value;
      }
    }
  }

  const table = document.querySelector("[data-monitor-url]");
  if (table) {
    const timer = setInterval(function () {
      fetch(table.dataset.monitorUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then(function (data) {
          data.rows.forEach((row) => show(row.team + ":" + row.side, row));
          show("total", data.totals);
          if (data.status !== "open") clearInterval(timer);
        })
        .catch(function () {
          // A missed refresh is harmless: the next one tries again.
        });
    }, REFRESH_MS);
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", () => window.print());
  });
})();
