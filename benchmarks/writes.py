"""The writes mixed into the concurrent runs (issue 20): one request in ten saves something, as a person would.

Each write opens its page, reads the form as the page rendered it (every field, hidden ones and the CSRF token
included) and posts it back with one answer changed: an agency check form's analysis section saved as a draft, a
progress update on an action, or a threshold decision with its participants. The page's own values are kept;
an empty required answer is filled the way a person would (the first choice, today's date, a sentence). The write
counts when the server answers with the redirect that follows a saved form; anything else is an error that fails
the run. Stdlib only, like the driver.
"""

import datetime
import html
import itertools
import threading
import time
import urllib.parse
from html.parser import HTMLParser

from benchmarks.driver import Client

SENTENCE = "Benchmark entry: the agency reviewed its records and added what it found."


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "selects": {}, "radios": {},
                          "textareas": set(), "empty": []}
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a and tag != "option":
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                if kind == "submit" and a.get("name"):
                    form.setdefault("buttons", []).append((a["name"], a.get("value", "")))
                return
            if kind in ("checkbox", "radio"):
                if kind == "radio":
                    form["radios"].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((a["name"], a.get("value", "on")))
                return
            form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            form["textareas"].add(a["name"])
            form["fields"].append((a["name"], ""))
        elif tag == "select":
            self._select = {"name": a["name"], "options": [], "selected": None}
        elif tag == "option" and self._select is not None:
            self._option(a)

    def _option(self, a):
        value = a.get("value", "")
        self._select["options"].append(value)
        if "selected" in a:
            self._select["selected"] = value

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            # As a browser does: a newline straight after <textarea> is not part of the value.
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value[1:] if value.startswith("\n") else value)
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._select["selected"]
            self._form["selects"][self._select["name"]] = self._select["options"]
            self._form["fields"].append((self._select["name"], chosen if chosen is not None else ""))
            self._select = None
        elif tag == "form":
            self._form = None


def main_form(page: str) -> dict | None:
    """The page's own form: the POST form with the most fields (the header's sign-out and partnership forms have
    one or two)."""
    parser = _Forms()
    parser.feed(page)
    forms = [f for f in parser.forms if any(name == "csrfmiddlewaretoken" for name, _ in f["fields"])]
    return max(forms, key=lambda f: len(f["fields"]), default=None)


def fill(form: dict, change: dict[str, str]) -> list[tuple[str, str]]:
    """The form's fields as rendered, with ``change`` applied and empty answers given as a person would."""
    today = datetime.date.today()
    fields = [(name, change.get(name, value)) for name, value in form["fields"]]
    out = []
    for name, value in fields:
        if value == "" and name in form["selects"]:
            value = next((o for o in form["selects"][name] if o), "")
        elif value == "" and name in form["textareas"]:
            value = SENTENCE
        elif value == "" and name.endswith(("_0", "-day", "_day")):
            value = str(today.day)
        elif value == "" and name.endswith(("_1", "-month", "_month")):
            value = str(today.month)
        elif value == "" and name.endswith(("_2", "-year", "_year")):
            value = str(today.year)
        out.append((name, value))
    answered = {name for name, _ in out}
    for name, values in form["radios"].items():
        if name not in answered and values:
            out.append((name, change.get(name, values[0])))
    for name, value in change.items():
        if name not in answered and name not in form["radios"]:
            out.append((name, value))
    return out


class Writes:
    """The write mix: each call does the next kind of write, in turn, as its person, on its own connection."""

    def __init__(self, host: str, port: int, targets: dict):
        self.host, self.port = host, port
        self.targets = {k: v for k, v in targets.items() if v and v.get("paths")}
        self.order = itertools.cycle(sorted(self.targets))
        self.lock = threading.Lock()
        # Each kind's objects in turn (prepare.py's pools); a pool that is not cycled is used up (each case's
        # threshold decision is recorded once).
        self.paths = {kind: itertools.cycle(t["paths"]) if t.get("cycle") else iter(list(t["paths"]))
                      for kind, t in self.targets.items()}
        self.used: dict[str, set[str]] = {}
        self.done: dict[str, int] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def _next(self) -> tuple[str, str] | None:
        with self.lock:
            for _ in range(len(self.targets)):
                kind = next(self.order)
                path = next(self.paths[kind], None)
                if path is not None:
                    self.used.setdefault(kind, set()).add(path)
                    return kind, path
            return None

    def __call__(self) -> None:
        chosen = self._next()
        if chosen is None:
            return
        kind, path = chosen
        target = self.targets[kind]
        client = Client(self.host, self.port, target["cookie"], 60)
        try:
            status, body = client.fetch("GET", path)
            form = main_form(body) if status == 200 else None
            if form is None:
                self._error(kind, f"GET {path} answered {status} without its form")
                return
            fields = fill(form, target.get("change", {}))
            action = urllib.parse.urljoin(path, html.unescape(form["action"])) if form["action"] else path
            start = time.perf_counter()
            status, body = client.fetch("POST", action, urllib.parse.urlencode(fields),
                                        referer=f"http://{self.host}:{self.port}{path}")
            elapsed = time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001 - a failed write is counted, not fatal
            self._error(kind, repr(exc))
            return
        finally:
            client.close()
        if status != 302:
            self._error(kind, f"POST {action} answered {status}")
            return
        with self.lock:
            self.latencies.append(elapsed)
            self.done[kind] = self.done.get(kind, 0) + 1

    def _error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors.append(f"{kind}: {message}"[:300])

    def summary(self) -> dict:
        ordered = sorted(self.latencies)
        p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)] * 1000 if ordered else None
        return {"writes": self.done, "errors": len(self.errors), "error_samples": self.errors[:5],
                "p95_ms": round(p95, 1) if p95 is not None else None,
                "objects_written": {kind: len(paths) for kind, paths in self.used.items()}}
