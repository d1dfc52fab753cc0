"""The writing assistant: pure functions that read a form's text the way another agency's reader would.

The process document says the form "is read by all agencies and should therefore not be copied from case notes
and should not contain acronyms". Two checks follow from that.

Acronyms. A token counts as an acronym when it is written in capitals and has at least two letters:
``GP``, ``MASH``, ``CP``, ``A&E`` (letters joined by ``&`` or ``/`` are one acronym), ``CP1`` (a capital, then
capitals or digits, with two letters in all; ``S47`` has one letter and is left alone) and plurals such as ``GPs``
(reported as ``GP``). Words in capitals for emphasis ("NOT") are reported too: the glossary can allow them.
Single capitals (``I``, ``A``) are words, not acronyms. An acronym is fine when

- the partnership's glossary marks it allowed (for example ``GP`` or ``NHS``), or
- it has been expanded in the form: the glossary's expansion appears in the text before or beside it, or the
  writer defined it in brackets after the words it stands for ("Multi-Agency Safeguarding Hub (MASH)") anywhere
  earlier in the form or in the same field.

Otherwise it is reported, with the glossary's expansion as the suggestion when there is one, and it blocks
submission.

Case notes. A line looks pasted from case notes when it begins with a timestamp ("12/03/24 14:32", "14:32",
"2024-03-12"), with staff initials and a colon ("JB:", "JB -"), or when it is dense with abbreviations (three or
more acronyms or shorthand words such as "hv", "f/u", "c/o", "NFA" in any six consecutive words). These are
warnings only: the writer decides.
"""

import re
from dataclasses import dataclass, field

ACRONYM = re.compile(r"(?<![\w&/])([A-Z](?:[A-Z0-9]|[&/](?=[A-Z]))+)(s?)(?![\w&])")
DEFINITION = re.compile(r"\(\s*([A-Z][A-Z0-9&/]+)s?\s*\)")
TIMESTAMP_LINE = re.compile(
    r"^\s*(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}[:.]\d{2}\b)(?:[\sT,]+\d{1,2}[:.]\d{2})?")
INITIALS_LINE = re.compile(r"^\s*[A-Z]{2,3}\s*(?::|-\s)")
SHORTHAND = frozenset({
    "hv", "sw", "s/w", "f/u", "c/o", "w/", "pt", "hx", "dx", "tx", "rx", "nfa", "dna", "wnb", "tc", "t/c", "h/v",
    "o/e", "obs", "fu", "ref", "appt", "mtg", "cx", "w/c", "b/c", "&", "re:", "@",
})
WINDOW = 6
DENSE = 3


@dataclass(frozen=True)
class Acronym:
    term: str
    expansion: str = ""

    @property
    def message(self) -> str:
        if self.expansion:
            return f"“{self.term}” is an acronym: write “{self.expansion}” instead, or “{self.expansion} ({self.term})”"
        return (f"“{self.term}” is an acronym: write it out in full, or give the words it stands for followed "
                f"by “({self.term})”")


@dataclass(frozen=True)
class CaseNoteFlag:
    line: int
    text: str
    reason: str

    @property
    def message(self) -> str:
        return f"Line {self.line} {self.reason}: “{self.text[:60]}”. Rewrite it for a reader from another agency."


@dataclass
class Findings:
    acronyms: list[Acronym] = field(default_factory=list)
    case_notes: list[CaseNoteFlag] = field(default_factory=list)

    def __bool__(self):
        return bool(self.acronyms or self.case_notes)

    @property
    def messages(self) -> list[str]:
        return [a.message for a in self.acronyms] + [c.message for c in self.case_notes]


def _initials(words: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", words) if w[0].isupper() or len(w) > 3).upper()


def definitions_in(text: str) -> set[str]:
    """Acronyms the writer defined in brackets after the words they stand for: "Early Help Hub (EHH)"."""
    found = set()
    for match in DEFINITION.finditer(text or ""):
        term = match.group(1)
        before = text[max(0, match.start() - 120):match.start()]
        letters = re.sub(r"[^A-Z]", "", term)
        if letters and _initials(before).endswith(letters):
            found.add(term)
    return found


def find_acronyms(text: str, glossary: dict, defined: set[str] = frozenset()) -> list[Acronym]:
    """Acronyms in ``text`` that are neither allowed by ``glossary`` nor expanded or ``defined`` in the form.

    ``glossary`` maps an upper-case term to ``(expansion, allowed)``.
    """
    text = text or ""
    defined = set(defined) | definitions_in(text)
    lowered = text.lower()
    seen, result = set(), []
    for match in ACRONYM.finditer(text):
        term = match.group(1)
        if sum(c.isalpha() for c in term) < 2 or term in seen:
            continue
        seen.add(term)
        expansion, allowed = glossary.get(term, ("", False))
        if allowed or term in defined:
            continue
        if expansion and f"{expansion.lower()} ({term.lower()})" in lowered:
            continue
        result.append(Acronym(term, expansion))
    return result


def _is_abbreviation(word: str) -> bool:
    bare = word.strip(".,;()")
    if bare.lower() in SHORTHAND:
        return True
    return bool(ACRONYM.fullmatch(bare)) and sum(c.isalpha() for c in bare) >= 2


def find_case_notes(text: str) -> list[CaseNoteFlag]:
    """Lines that look copied from case notes."""
    flags = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if TIMESTAMP_LINE.match(stripped):
            flags.append(CaseNoteFlag(number, stripped, "begins with a date or time, like a case note"))
            continue
        if INITIALS_LINE.match(stripped):
            flags.append(CaseNoteFlag(number, stripped, "begins with someone's initials, like a case note"))
            continue
        words = stripped.split()
        marks = [_is_abbreviation(w) for w in words]
        if any(sum(marks[i:i + WINDOW]) >= DENSE for i in range(max(1, len(words) - WINDOW + 1))):
            flags.append(CaseNoteFlag(number, stripped, "is dense with abbreviations, like a case note"))
    return flags


def check_text(text: str, glossary: dict, defined: set[str] = frozenset()) -> Findings:
    return Findings(acronyms=find_acronyms(text, glossary, defined), case_notes=find_case_notes(text))


def check_fields(fields: dict[str, str], glossary: dict) -> dict[str, Findings]:
    """Findings per field, in form order: an acronym defined in an earlier field counts as expanded later."""
    results, defined = {}, set()
    for name, text in fields.items():
        defined |= definitions_in(text or "")
        for term, (expansion, _allowed) in glossary.items():
            if expansion and f"{expansion.lower()} ({term.lower()})" in (text or "").lower():
                defined.add(term)
        findings = check_text(text, glossary, defined)
        if findings:
            results[name] = findings
    return results


def blocking_acronyms(results: dict[str, Findings]) -> dict[str, list[Acronym]]:
    """The fields whose acronyms stop the form being submitted."""
    return {name: f.acronyms for name, f in results.items() if f.acronyms}
