"""Submit a form as the page rendered it: parse the page's ``<form>``, fill fields by name, post what a browser would.

    form = page_form(client, "/themes/learning/bulletin/new/")
    form.fill(title="Spring bulletin", date=datetime.date(2026, 3, 3), body="Learning from Child A.")
    response = form.submit()

``fill`` fails the test when it names a field the page does not show, or a choice the page does not offer, so a
test cannot pass by posting a field the user never sees. Fields keep the defaults the page gave them (values,
checked boxes, selected options), and only the controls a browser would send are posted.
"""

import contextlib
import datetime
import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.project_forms import PROJECT_PACKAGES

TEXT_TYPES = {"text", "email", "password", "number", "date", "time", "url", "tel", "search", "hidden",
              "datetime-local", "month", "week", "color", "range"}
BUTTON_TYPES = {"submit", "image"}


class FormError(AssertionError):
    """The test asked for something the rendered page does not offer."""


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, file; hidden fields are text controls of type "hidden"
    input_type: str = "text"
    value: object = None  # text: str; select/checkbox: list of values; radio: value or None; file: upload or None
    options: list = field(default_factory=list)  # (value, label) for select, radio and checkbox
    multiple: bool = False

    def option_labels(self):
        return ", ".join(f"{value!r} ({label})" if label else repr(value) for value, label in self.options)


@dataclass
class Button:
    name: str
    value: str
    label: str


@dataclass
class ParsedForm:
    method: str
    action: str
    attrs: dict
    controls: dict = field(default_factory=dict)  # name -> Control, in page order
    buttons: list = field(default_factory=list)


class _FormParser(HTMLParser):
    """Collects every ``<form>`` with its controls; controls outside a form are ignored, as a browser would."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self.labels: dict[str, str] = {}  # element id -> label text
        self._form = None
        self._textarea = None
        self._select = None
        self._option = None
        self._button = None
        self._label_for = None
        self._label_text = []
        self._pending_labels = []  # (control, option value, input id) waiting for their <label for=...>
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._in_template += 1  # a template's content is inert: a browser neither shows nor submits it
        if self._in_template:
            return
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = ParsedForm(method=a.get("method", "get").lower(), action=a.get("action", ""), attrs=a)
            self.forms.append(self._form)
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input":
            self._input(a, name)
        elif tag == "textarea" and name:
            self._textarea = self._add(Control(name=name, kind="textarea", input_type="textarea", value=""))
            self._text = []
        elif tag == "select" and name:
            self._select = self._add(Control(name=name, kind="select", input_type="select", value=[],
                                             multiple="multiple" in a))
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button = Button(name=name or "", value=a.get("value", ""), label="")
            self._form.buttons.append(self._button)
            self._text = []

    def _input(self, a, name):
        kind = a.get("type", "text").lower()
        if kind in BUTTON_TYPES:
            self._form.buttons.append(Button(name=name or "", value=a.get("value", ""), label=a.get("value", "")))
            return
        if not name:
            return
        controls = self._form.controls
        if kind in ("radio", "checkbox"):
            value = a.get("value", "on")
            control = controls.get(name) or self._add(Control(name=name, kind=kind, input_type=kind,
                                                              value=None if kind == "radio" else []))
            control.options.append((value, ""))
            self._pending_labels.append((control, value, a.get("id")))
            if "checked" in a:
                if kind == "radio":
                    control.value = value
                else:
                    control.value.append(value)
        elif kind == "file":
            self._add(Control(name=name, kind="file", input_type="file", value=None))
        elif kind in TEXT_TYPES:
            self._add(Control(name=name, kind="text", input_type=kind, value=a.get("value", "")))

    def _add(self, control):
        if control.name in self._form.controls:
            twin = self._form.controls[control.name]
            if control.input_type == twin.input_type == "hidden" and control.value == twin.value:
                return twin  # the same hidden value twice (the CSRF token from the page and from crispy) posts once
            raise FormError(f"The page renders the field {control.name!r} twice in one form")
        self._form.controls[control.name] = control
        return control

    def handle_data(self, data):
        if self._in_template:
            return
        if self._option is not None:
            self._option["text"].append(data)
        elif self._textarea is not None or self._button is not None:
            self._text.append(data)
        if self._label_for is not None:
            self._label_text.append(data)

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
            return
        if self._in_template:
            return
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._textarea.value = text[1:] if text.startswith("\n") else text  # as the HTML spec drops it
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._close_option()
            select = self._select
            if not select.value and select.options and not select.multiple:
                select.value = [select.options[0][0]]  # a single select sends its first option by default
            self._select = None
        elif tag == "button" and self._button is not None:
            self._button.label = " ".join("".join(self._text).split())
            self._button = None
        elif tag == "label" and self._label_for is not None:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None

    def _close_option(self):
        option, self._option = self._option, None
        text = " ".join("".join(option["text"]).split())
        value = option["value"] if option["value"] is not None else text
        self._select.options.append((value, text))
        if option["selected"]:
            if self._select.multiple:
                self._select.value.append(value)
            else:
                self._select.value = [value]

    def close(self):
        super().close()
        for control, value, input_id in self._pending_labels:
            label = self.labels.get(input_id, "")
            control.options = [(v, label if v == value and not lab else lab) for v, lab in control.options]


def parse_forms(html: str) -> list[ParsedForm]:
    """Every ``<form>`` in ``html``, with its controls as a browser would see them."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


class RenderedForm:
    """One form of a page, as rendered; fill it by name and submit it with the Django test client."""

    def __init__(self, client, page_url: str, parsed: ParsedForm, html: str = ""):
        self.client = client
        self.page_url = page_url
        self.html = html
        self.parsed = parsed
        self.controls = parsed.controls
        self.url = urljoin(page_url, parsed.action) if parsed.action else page_url

    def __contains__(self, name):
        return name in self.controls

    def __getitem__(self, name):
        return self._control(name).value

    def names(self) -> list[str]:
        return list(self.controls)

    def _control(self, name) -> Control:
        if name not in self.controls:
            raise FormError(f"The page shows no field named {name!r}. It shows: {', '.join(self.controls)}")
        return self.controls[name]

    def fill(self, **values):
        """Set fields by name, as a user would; a date for a day/month/year field fills its three boxes."""
        for name, value in values.items():
            if name not in self.controls and isinstance(value, datetime.date) and f"{name}_0" in self.controls:
                self.fill(**{f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year})
                continue
            self._set(self._control(name), value)
        return self

    def _set(self, control, value):
        if control.kind in ("text", "textarea"):
            if control.input_type == "hidden":
                raise FormError(f"{control.name!r} is a hidden field: a user cannot change it")
            control.value = _text(value)
        elif control.kind == "file":
            control.value = value
        elif control.kind == "radio":
            control.value = None if value is None else self._option(control, value)
        elif control.kind == "select":
            if control.multiple:
                control.value = [self._option(control, v) for v in _many(value)]
            else:
                control.value = [self._option(control, value)]
        elif control.kind == "checkbox":
            if isinstance(value, bool):
                if len(control.options) != 1:
                    raise FormError(f"{control.name!r} has {len(control.options)} boxes: give the values to tick")
                control.value = [control.options[0][0]] if value else []
            else:
                control.value = [self._option(control, v) for v in _many(value)]

    @staticmethod
    def _option(control, wanted) -> str:
        """The value of the option matching ``wanted`` by value, or else by its visible label."""
        wanted = _text(wanted)
        for value, _label in control.options:
            if value == wanted:
                return value
        matches = [value for value, label in control.options if label == wanted]
        if len(matches) == 1:
            return matches[0]
        raise FormError(f"{control.name!r} offers no option {wanted!r}. It offers: {control.option_labels()}")

    def add_another(self, prefix: str) -> int:
        """Press the page's "Add another" button for formset ``prefix``, as static/src/app.js does: copy the
        ``<template id="{prefix}-empty-form">`` rows in with the next index and raise the formset's total.
        Returns the new row's index."""
        if f'data-add-another="{prefix}"' not in self.html:
            raise FormError(f"The page has no 'Add another' button for {prefix!r}")
        found = re.search(rf'<template id="{re.escape(prefix)}-empty-form">(.*?)</template>', self.html, re.S)
        if found is None:
            raise FormError(f"The page has no empty {prefix!r} row to copy")
        total = self._control(f"{prefix}-TOTAL_FORMS")
        index = int(total.value)
        [row] = parse_forms(f"<form>{found.group(1).replace('__prefix__', str(index))}</form>")
        for name, control in row.controls.items():
            if name == "csrfmiddlewaretoken":
                continue  # crispy renders a token inside the row too; a browser posts the same value
            if name in self.controls:
                raise FormError(f"Adding a row would duplicate the field {name!r}")
            self.controls[name] = control
        total.value = str(index + 1)
        return index

    def options(self, name) -> list[tuple[str, str]]:
        return list(self._control(name).options)

    def data(self, button=None) -> dict:
        """What a browser would send: every enabled control with a value, and the button pressed."""
        data = {}
        for name, control in self.controls.items():
            if control.kind in ("text", "textarea"):
                data[name] = control.value
            elif control.kind == "radio" or control.kind == "file":
                if control.value is not None:
                    data[name] = control.value
            elif control.value:  # select and checkbox: lists; nothing ticked sends nothing
                data[name] = control.value if len(control.value) > 1 else control.value[0]
        pressed = self._button(button)
        if pressed is not None and pressed.name:
            data[pressed.name] = pressed.value
        return data

    def _button(self, wanted):
        buttons = self.parsed.buttons
        if wanted is None:
            return buttons[0] if buttons else None
        for button in buttons:
            if wanted in (button.label, button.name, f"{button.name}={button.value}"):
                return button
        shown = ", ".join(f"{b.label!r} ({b.name}={b.value})" if b.name else repr(b.label) for b in buttons)
        raise FormError(f"The form has no button {wanted!r}. It has: {shown or 'none'}")

    def submit(self, button=None, follow=False, **extra):
        """Send the form as a browser would, pressing ``button`` (its label or name) or else the first one."""
        data = self.data(button)
        with _submitting():
            if self.parsed.method == "post":
                return self.client.post(self.url, data, follow=follow, **extra)
            return self.client.get(self.url, data, follow=follow, **extra)


# ---- which form classes a test really submitted ----------------------------------------------------------------------

SUBMITTED: dict[str, str] = {}  # dotted form class name -> the test that submits it through a page
_valid_in_submit: list[set] = []  # one set per running @submits test: form classes that validated during submit()
_in_submit = [False]


@contextlib.contextmanager
def _submitting():
    _in_submit[0] = True
    try:
        yield
    finally:
        _in_submit[0] = False


_original_full_clean = forms.BaseForm.full_clean


def _recording_full_clean(self):
    _original_full_clean(self)
    if _in_submit[0] and _valid_in_submit and self.is_bound and not self._errors:
        cls = type(self)
        _valid_in_submit[-1].add(cls)
        if cls.__module__.split(".")[0] not in (*PROJECT_PACKAGES, "tests"):
            # A class made on the fly (django-filter's form for a FilterSet) counts as the project form it extends.
            _valid_in_submit[-1].update(c for c in cls.__mro__[1:2] if issubclass(c, forms.BaseForm))


def submits(*form_classes):
    """Mark a test as the one that submits ``form_classes`` through their pages; it fails unless each of them was
    bound to the posted data and valid during a ``RenderedForm.submit()`` in the test."""

    def decorate(test):
        for cls in form_classes:
            SUBMITTED.setdefault(f"{cls.__module__}.{cls.__qualname__}", f"{test.__module__}.{test.__name__}")

        @functools.wraps(test)
        def run(*args, **kwargs):
            _valid_in_submit.append(set())
            forms.BaseForm.full_clean = _recording_full_clean
            try:
                result = test(*args, **kwargs)
                valid = _valid_in_submit[-1]
            finally:
                _valid_in_submit.pop()
                if not _valid_in_submit:
                    forms.BaseForm.full_clean = _original_full_clean
            missing = [cls.__qualname__ for cls in form_classes if cls not in valid]
            assert not missing, f"No valid submission through the page of: {', '.join(missing)}"
            return result

        return run

    return decorate


def page_form(client, url: str, *, containing: str | None = None, action: str | None = None,
              response=None) -> RenderedForm:
    """GET ``url`` (or use ``response``) and return its one form, or the one that has field ``containing`` or
    posts to ``action``. Forms without fields of their own (such as the header's sign-out button) and the header's
    forms (``data-header-form``: the partnership switcher) are skipped unless ``action`` names them."""
    if response is None:
        response = client.get(url)
    else:
        url = response.wsgi_request.get_full_path() if hasattr(response, "wsgi_request") else url
    assert response.status_code == 200, f"GET {url} answered {response.status_code}, not the page with the form"
    forms = parse_forms(response.content.decode())
    page_url = url if urlsplit(url).path else "/"
    if action is not None:
        chosen = [f for f in forms if urljoin(page_url, f.action or page_url) == urljoin(page_url, action)]
    elif containing is not None:
        chosen = [f for f in forms if containing in f.controls]
    else:
        # The page header's own forms (sign out, the partnership switcher) are not the page's form.
        chosen = [f for f in forms if set(f.controls) - {"csrfmiddlewaretoken"} and "data-header-form" not in f.attrs]
    if len(chosen) != 1:
        described = "; ".join(f"{f.method.upper()} {f.action or '(this page)'}: {', '.join(f.controls)}"
                              for f in forms)
        raise FormError(f"{len(chosen)} forms on {url} match (containing={containing!r}, action={action!r}). "
                        f"The page has: {described or 'no forms'}")
    return RenderedForm(client, page_url, chosen[0], html=response.content.decode())


def rendered_field_names(html: str) -> set[str]:
    """Names of every control in ``html`` (inside a form or not), for checking what a rendering shows."""
    return {name for form in parse_forms(f"<form>{html}</form>") for name in form.controls}


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _text(value) -> str:
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, bool):
        return "on" if value else ""
    return "" if value is None else str(value)


def _many(value):
    return value if isinstance(value, list | tuple | set) or hasattr(value, "__iter__") and not isinstance(
        value, str) and not hasattr(value, "pk") else [value]


def accepted(response, to: str | None = None):
    """Assert the submission was accepted (a redirect, to ``to`` if given); else fail with the page's errors."""
    if response.status_code != 302:
        html = response.content.decode()
        start = html.find("govuk-error-summary")
        shown = " ".join(_strip_tags(html[start:start + 3000]).split()) if start != -1 else html[:500]
        raise AssertionError(f"{response.wsgi_request.method} {response.wsgi_request.path} answered "
                             f"{response.status_code}: {shown}")
    if to is not None:
        assert response["Location"].startswith(to), f"redirected to {response['Location']}, not {to}"
    return response


def _strip_tags(html: str) -> str:
    parts = []

    class Text(HTMLParser):
        def handle_data(self, data):
            parts.append(data)

    Text().feed(html)
    return " ".join(parts)
