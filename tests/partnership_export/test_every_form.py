"""The forms of partnership export and import are submitted through their pages (marked ``@submits``) in
test_export_pages.py and test_import_pages.py; importing them here registers them with tests/test_every_form.py."""

from . import test_export_pages, test_import_pages  # noqa: F401
