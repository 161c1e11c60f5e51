// Dashboards: draw each [data-chart] element with plotly.js, from the figure spec that
// the barometer/charts/ package built and the template embedded with json_script.
(function () {
  "use strict";

  // plotly.js's own PNG button loads the picture through a blob: URL, which the CSP
  // (img-src 'self' data:) refuses. This one asks plotly.js for an SVG, which comes as a
  // data: URL, and paints it on a canvas to make the PNG.
  function pngButton(title, options) {
    return {
      name: "download-png",
      title: title,
      icon: Plotly.Icons.camera,
      click: function (graph) {
        const scale = options.scale || 1;
        const width = graph.offsetWidth;
        const height = graph.offsetHeight;
        Plotly.toImage(graph, { format: "svg", width: width, height: height }).then(function (url) {
          const image = new Image();
          image.onload = function () {
            const canvas = document.createElement("canvas");
            canvas.width = width * scale;
            canvas.height = height * scale;
            const context = canvas.getContext("2d");
            context.fillStyle = "#ffffff";
            context.fillRect(0, 0, canvas.width, canvas.height);
            context.drawImage(image, 0, 0, canvas.width, canvas.height);
            const link = document.createElement("a");
            link.href = canvas.toDataURL("image/png");
            link.download = (options.filename || "chart") + ".png";
            document.body.appendChild(link);
            link.click();
            link.remove();
          };
          image.src = url;
        });
      },
    };
  }

  // Bootstrap's "sm" breakpoint: below it, the page is a phone's.
  const narrow = window.matchMedia("(max-width: 575.98px)");

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    const source = document.getElementById(element.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    // On a phone a figure may come in its narrow form (spec.narrow, built with it):
    // another figure (data and layout), or some layout keys and trace options replaced.
    let data = spec.data;
    let layout = spec.layout;
    if (spec.narrow && narrow.matches) {
      const trace = spec.narrow.trace || {};
      data = (spec.narrow.data || data).map(function (t) { return Object.assign({}, t, trace); });
      layout = Object.assign({}, spec.narrow.data ? {} : layout, spec.narrow.layout || {});
    }
    const config = Object.assign({}, spec.config);
    const label = element.dataset.downloadLabel || "PNG";
    config.modeBarButtons = [[pngButton(label, config.toImageButtonOptions || {})]];
    Plotly.newPlot(element, data, layout, config).then(function () {
      element.dataset.drawn = "true";
    });
  });
})();
