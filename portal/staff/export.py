"""CSV downloads for supervisors: plain UTF-8 with a BOM so that spreadsheet programs read Indonesian names right."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response
