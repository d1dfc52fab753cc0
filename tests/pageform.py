"""Read a form off a rendered page, so a test submits what the page offers rather than a hand-made dict."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str = ""
    fields: dict = field(default_factory=dict)  # name -> value the browser would send as the page stands
    choices: dict = field(default_factory=dict)  # name -> [(value, label)] of radios, checkboxes and selects
    names: list = field(default_factory=list)  # every field name on the form, in order
    buttons: list = field(default_factory=list)  # the text of its submit buttons

    def data(self, **changes) -> dict:
        """The form as the browser would post it, with ``changes`` filled in (keys are field names)."""
        for name, value in changes.items():
            if name not in self.names:
                raise AssertionError(f"The page's form has no field {name!r}; it has {self.names}")
            if name in self.choices and str(value) not in [v for v, _ in self.choices[name]]:
                raise AssertionError(f"{value!r} is not offered for {name!r}: {self.choices[name]}")
        return {**self.fields, **{k: str(v) for k, v in changes.items()}}

    def labels(self, name) -> list[str]:
        return [label for _, label in self.choices.get(name, [])]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[PageForm] = []
        self.form: PageForm | None = None
        self.select = None
        self.option = None
        self.textarea = None
        self.label_for = None
        self.labels: dict[str, str] = {}
        self.ids: dict[str, tuple] = {}
        self.button = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = PageForm(action=a.get("action", ""))
            self.forms.append(self.form)
        elif tag == "label" and a.get("for"):
            self.label_for = [a["for"], ""]
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            self._name(name)
            if kind in ("radio", "checkbox"):
                self.form.choices.setdefault(name, []).append((a.get("value", "on"), ""))
                if a.get("id"):
                    self.ids[a["id"]] = (self.form, name, len(self.form.choices[name]) - 1)
                if "checked" in a:
                    self.form.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button"):
                self.form.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._name(name)
            self.select = name
            self.form.choices[name] = []
            self.form.fields.setdefault(name, "")
        elif tag == "option" and self.select:
            self.option = [a.get("value", ""), ""]
            if "selected" in a:
                self.form.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._name(name)
            self.textarea = name
            self.form.fields[name] = ""
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.button = ""

    def _name(self, name):
        if name not in self.form.names:
            self.form.names.append(name)

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        if self.textarea:
            self.form.fields[self.textarea] += data
        if self.label_for is not None:
            self.label_for[1] += data
        if self.button is not None:
            self.button += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None:
            self.form.choices[self.select].append((self.option[0], self.option[1].strip()))
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "label" and self.label_for is not None:
            self.labels[self.label_for[0]] = " ".join(self.label_for[1].split())
            self.label_for = None
        elif tag == "button" and self.button is not None and self.form is not None:
            self.form.buttons.append(" ".join(self.button.split()))
            self.button = None

    def finish(self):
        for id_, (form, name, index) in self.ids.items():
            value, _ = form.choices[name][index]
            form.choices[name][index] = (value, self.labels.get(id_, ""))
        return self.forms


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.finish()


def page_form(html: str, button: str) -> PageForm:
    """The form on the page whose submit button reads ``button``."""
    forms = page_forms(html)
    for form in forms:
        if button in form.buttons:
            return form
    raise AssertionError(f"No form with a {button!r} button; buttons: {[f.buttons for f in forms]}")
