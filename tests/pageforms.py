"""Submit a form as the page rendered it: read its fields and their current values, then change what a user would."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": {}, "names": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            self._form["names"].append(name)
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._form["fields"][name] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["names"].append(name)
            self._form["fields"][name] = [""]
        elif tag == "select" and name:
            self._select = name
            self._form["names"].append(name)
            self._form["fields"].setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def page_form(response, index: int = -1) -> dict:
    """The fields of a form on the page (the last one unless told), as ``{name: value or [values]}``.

    Raises ``KeyError`` from ``fill`` when a test tries to fill a field the page does not have.
    """
    reader = _FormReader()
    reader.feed(response.content.decode())
    form = reader.forms[index]
    data = {name: values if len(values) != 1 else values[0] for name, values in form["fields"].items()}
    return _Form(data, form["names"])


class _Form(dict):
    def __init__(self, data, names):
        super().__init__(data)
        self.names = set(names)

    def fill(self, **values) -> "_Form":
        for name, value in values.items():
            if name not in self.names:
                raise KeyError(f"The page has no field {name!r}; it has {sorted(self.names)}")
            self[name] = value
        return self
