"""The results document for people: CSV and XLSX in the reader's language.

``tables`` declares each table's columns once; ``csvfile`` and ``xlsxfile`` write them
in the conventions of the language (separator, decimal mark, number formats); ``labels``
holds the words. The machine-readable JSON (the API, ``export_barometer --format
json``) is the document itself, English keys and full precision.
"""

from barometer.exports.csvfile import to_csv
from barometer.exports.xlsxfile import to_xlsx

__all__ = ["to_csv", "to_xlsx"]
