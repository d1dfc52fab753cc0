"""Helpers the themes views share: who may read themes, and spreadsheet-safe CSV downloads."""

import csv
import io

from django.http import HttpResponse

from rapidreview.accounts.models import Role

THEME_VIEWERS = (Role.BUSINESS_UNIT, Role.RR_CHAIR)


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(rows, filename):
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
