"""What a page drawing Plotly charts needs in its head (templates/barometer/_head.html).

plotly.js inserts inline <style> elements, which the CSP refuses. It skips them when an
element with these ids is already in the page (a test checks they still exist in the
installed plotly.min.js): the global rules, which dashboards.css provides, and the map
library's styles, which no page needs. Shared by the dashboards and the campaign monitor.
"""

PLOTLY_GLOBAL_STYLE_ID = "plotly.js-style-global"
PLOTLY_MAPS_STYLE_ID = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53"
PAGE_HEAD = {
    "plotly_global_style_id": PLOTLY_GLOBAL_STYLE_ID,
    "plotly_maps_style_id": PLOTLY_MAPS_STYLE_ID,
}
