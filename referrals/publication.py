"""The publication guard: nothing published or sent outside the partnership may identify a child.

Anything written for the public (bulletins, learning briefings, a published review's pseudonym and link) is checked
before it is saved or sent against every name, other name, date of birth and address of every child (each child in
the incident) and household member on every case. ``publication_guard`` raises ``PublicationRefused`` naming each
field and what matched; where the rules allow it (not for a pseudonym), the business unit may publish anyway with a
reason, which the caller keeps in the history.

Matching works on words, not substrings, so "Amy" does not match "Amyloid". A single first name matches only when
written with a capital letter, so that a child called "Hope" does not stop every sentence with the word "hope"; full
names, surnames and other names match in any case. Dates of birth match in the ways people write dates.
"""

import datetime
import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from rapidreview.datacache import cached, watch
from rapidreview.db import DomainError

from .models import Case, HouseholdMember, IncidentChild, Referral

watch("publication-guard", Case, Referral, HouseholdMember, IncidentChild)

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
_DATE_LIKE = re.compile(r"(?<![\w/.-])(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2} [a-z]+ \d{4}"
                        r"|[a-z]+ \d{1,2} \d{4})(?![\w/-]|\.\d)")
_MAX_WORDS = 5
_MIN_SURNAME = 3


@dataclass(frozen=True)
class Finding:
    field: str
    label: str
    matched: str
    what: str
    case_reference: str

    @property
    def message(self) -> str:
        return f"{self.label} contains {self.what} (“{self.matched}”, case {self.case_reference})"


class PublicationRefused(DomainError):
    """What was to be published identifies a child or a member of their household."""

    def __init__(self, findings: list[Finding], *, may_override: bool):
        self.findings = findings
        self.may_override = may_override
        super().__init__("; ".join(f.message for f in findings))

    @property
    def errors(self) -> list[tuple[str | None, str]]:
        hint = (" Remove it, or, if it does not identify anyone, give a reason to publish anyway."
                if self.may_override else " Remove it.")
        return [(f.field, f.message + "." + hint) for f in self.findings]


def _words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'")


def _date_spellings(day: datetime.date) -> set[str]:
    """The ways a date of birth is written, folded to lower case with single spaces."""
    d, m, y = day.day, day.month, day.year
    month, mon = day.strftime("%B").lower(), day.strftime("%b").lower()
    return {
        f"{d} {month} {y}", f"{d} {mon} {y}", f"{month} {d} {y}", f"{d:02d} {month} {y}",
        f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y % 100:02d}", f"{d:02d}/{m:02d}/{y % 100:02d}",
        f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y}", f"{d}-{m}-{y}", f"{d:02d}-{m:02d}-{y}", day.isoformat(),
    }


def _as_date(text: str) -> datetime.date | None:
    """A household member's "date of birth or age": a date when it is one, else nothing."""
    if not re.search(r"\d{1,2}\D\d{1,2}\D\d{2,4}|\d{4}-\d{2}-\d{2}|[a-z]{3}", text or "", re.IGNORECASE):
        return None
    try:
        return date_parser.parse(text, dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def _index() -> dict:
    """Every identifying detail on every case, keyed for look-up: phrases of words, dates, postcodes."""
    phrases: dict[tuple[str, ...], tuple[str, str, bool]] = {}
    dates: dict[str, tuple[str, str]] = {}
    postcodes: dict[str, tuple[str, str]] = {}

    def add_name(text: str, what: str, reference: str, *, capital_only: bool = False) -> None:
        words = tuple(_fold(w) for w in _words(text))
        if words and len(words) <= _MAX_WORDS:
            phrases.setdefault(words, (what, reference, capital_only and len(words) == 1))

    def add_address(text: str, what: str, reference: str) -> None:
        for outward, inward in _POSTCODE.findall(text or ""):
            postcodes.setdefault(f"{outward}{inward}".upper(), (what, reference))
        first_line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
        first_line = first_line.split(",")[0]
        if re.search(r"\d", first_line) and len(_words(first_line)) >= 2:
            add_name(first_line, what, reference)

    def add_date(day: datetime.date | None, what: str, reference: str) -> None:
        if day:
            for spelling in _date_spellings(day):
                dates.setdefault(spelling, (what, reference))

    for ref, first, last, dob in Case.objects.values_list("reference", "child_first_name", "child_last_name",
                                                           "child_dob").iterator():
        add_name(f"{first} {last}", "a child's name", ref)
        add_name(first, "a child's first name", ref, capital_only=True)
        if len(last or "") >= _MIN_SURNAME:
            add_name(last, "a child's surname", ref)
        add_date(dob, "a child's date of birth", ref)
    for ref, first, last, dob in IncidentChild.objects.values_list("case__reference", "first_name", "last_name",
                                                                    "dob").iterator():
        if first or last:
            add_name(f"{first} {last}", "a child's name", ref)
        if first:
            add_name(first, "a child's first name", ref, capital_only=True)
        if len(last or "") >= _MIN_SURNAME:
            add_name(last, "a child's surname", ref)
        add_date(dob, "a child's date of birth", ref)
    for ref, aliases, address in Referral.objects.values_list("case__reference", "child_aliases",
                                                               "child_address").iterator():
        for alias in re.split(r"[,;/]| or | and ", aliases or ""):
            if alias.strip():
                add_name(alias, "another name of a child", ref)
        add_address(address, "a child's address", ref)
    for ref, name, age in HouseholdMember.objects.values_list("referral__case__reference", "name", "age").iterator():
        words = _words(name)
        add_name(name, "the name of a household member", ref)
        if words:
            add_name(words[0], "the name of a household member", ref, capital_only=True)
        if len(words) > 1 and len(words[-1]) >= _MIN_SURNAME:
            add_name(words[-1], "the name of a household member", ref)
        add_date(_as_date(age), "a household member's date of birth", ref)
    return {"phrases": phrases, "dates": dates, "postcodes": postcodes}


def _identifying_details() -> dict:
    return cached("publication-guard", "index", _index)


def _date_text(text: str) -> str:
    folded = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.casefold())
    return re.sub(r"[\s,]+", " ", folded)


def publication_findings(fields: dict[str, tuple[str, str]], *, allowed: set[str] = frozenset()) -> list[Finding]:
    """What identifies a child in ``fields`` ({name: (label, text)}); phrases in ``allowed`` (a pseudonym) pass."""
    index = _identifying_details()
    allowed_words = {tuple(_fold(w) for w in _words(a)) for a in allowed if a}
    findings: list[Finding] = []
    for field, (label, text) in fields.items():
        if not text:
            continue
        seen: set[str] = set()

        def found(matched: str, what: str, reference: str, field=field, label=label, seen=seen) -> None:
            if matched.casefold() not in seen:
                seen.add(matched.casefold())
                findings.append(Finding(field, label, matched, what, reference))

        words = _words(text)
        folded = [_fold(w) for w in words]
        for size in range(min(_MAX_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                key = tuple(folded[start:start + size])
                hit = index["phrases"].get(key)
                if not hit or key in allowed_words:
                    continue
                what, reference, capital_only = hit
                if capital_only and not words[start][:1].isupper():
                    continue
                found(" ".join(words[start:start + size]), what, reference)
        for spelling in _DATE_LIKE.findall(_date_text(text)):
            hit = index["dates"].get(spelling)
            if hit:
                found(spelling, *hit)
        for outward, inward in _POSTCODE.findall(text):
            hit = index["postcodes"].get(f"{outward}{inward}".upper())
            if hit:
                found(f"{outward} {inward}".upper(), *hit)
    return findings


def publication_guard(fields: dict[str, tuple[str, str]], *, override_reason: str = "", may_override: bool = True,
                      allowed: set[str] = frozenset()) -> list[Finding]:
    """Refuse ``fields`` that identify a child, unless the business unit gave a reason (where that is allowed).

    Returns what matched when an override let it through, so the caller can keep it in the history.
    """
    findings = publication_findings(fields, allowed=allowed)
    if findings and not (may_override and override_reason.strip()):
        raise PublicationRefused(findings, may_override=may_override)
    return findings
