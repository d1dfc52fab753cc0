"""Reading a page's POST form the way a browser would, so tests submit what the page rendered."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}, "names": []}
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag not in ("option",):
            return
        fields, names = self._form["fields"], self._form["names"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            names.append(a["name"])
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            names.append(a["name"])
            self._textarea = a["name"]
            fields[a["name"]] = ""
        elif tag == "select":
            names.append(a["name"])
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data


def page_forms(html: str | bytes) -> list[dict]:
    """Every POST form on the page: ``fields`` (what a browser would send untouched) and ``names`` (every field the
    page shows)."""
    parser = _FormParser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def fill(html: str | bytes, values: dict) -> dict:
    """The data of the page's form that shows every field in ``values``, with those typed in; fails when no form
    on the page shows them all (the sign-out button is a form too)."""
    for form in page_forms(html):
        if set(values) <= set(form["names"]):
            return {**form["fields"], **values}
    raise AssertionError(f"no form on the page has the fields {sorted(values)}")
