"""The PDF reports: charts drawn as SVG (``svg``, ``svg_overview``), the documents
(``report``), the organisation report's background job (``services``) and the views."""
