"""What the dashboard pages read: the latest snapshot of each campaign, as the user may
see it, and the pieces of it each page shows.

Read-only: no figure is computed here. Values are picked out of the results document,
formatted for display with the helpers of ``barometer.charts`` (so a table and its chart
say the same thing), and handed to the pure chart builders with translated labels.

- ``snapshots``: the latest documents a user may see, parsed once per process, and the
  teams found in them;
- ``wording``: the translated words of the charts and of the correlation sentences;
- ``tables``: the cards, table rows and columns of the pages;
- ``pages``: each page's whole context, assembled from the above.
"""
