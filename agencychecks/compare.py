"""Comparing two submitted versions of a form, answer by answer, with the words added and removed marked.

Answers are matched by what they are, never by where they sit: a field by its section and label, a chronology
contact by the entry it was saved from. Inserting an earlier contact therefore shows one added row, not every later
row "changed", and every row stays inside its own section.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .sections import SECTION_KEYS, contact_text

TOKEN = re.compile(r"\s+|[^\s]+")


def _marked(a: str, b: str) -> tuple[str, str]:
    """``a`` with removed words in <del> and ``b`` with added words in <ins>, both HTML-escaped."""
    old, new = TOKEN.findall(a or ""), TOKEN.findall(b or "")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        before, after = escape("".join(old[i1:i2])), escape("".join(new[j1:j2]))
        if op == "equal":
            left.append(before)
            right.append(after)
            continue
        if before:
            left.append(f'<del class="app-diff__del">{before}</del>')
        if after:
            right.append(f'<ins class="app-diff__ins">{after}</ins>')
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every piece escaped above  # nosec B308 B703


def _row_identity(row: dict) -> str:
    # Versions saved before entries carried their id are matched by their words instead.
    return row.get("id") or contact_text(row)


def _contact_pairs(old_rows: list[dict], new_rows: list[dict]) -> list[tuple[int | None, int | None]]:
    """(index in the old version, index in the new version) for each contact, in the new version's order with
    removed contacts where they used to be."""
    old_ids, new_ids = [_row_identity(r) for r in old_rows], [_row_identity(r) for r in new_rows]
    pairs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False).get_opcodes():
        if op == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        # Different entries: without ids on both sides an edited contact is paired with the one in its place.
        both_have_ids = all("id" in r for r in old_rows[i1:i2] + new_rows[j1:j2])
        if op == "replace" and not both_have_ids:
            common = min(i2 - i1, j2 - j1)
            pairs += list(zip(range(i1, i1 + common), range(j1, j1 + common), strict=True))
            pairs += [(i, None) for i in range(i1 + common, i2)] + [(None, j) for j in range(j1 + common, j2)]
            continue
        pairs += [(i, None) for i in range(i1, i2)] + [(None, j) for j in range(j1, j2)]
    return pairs


def _contact_label(i: int | None, j: int | None) -> str:
    if j is None:
        return f"Contact {i + 1} (removed)"
    if i is None:
        return f"Contact {j + 1} (added)"
    return f"Contact {j + 1}" if i == j else f"Contact {j + 1} (was contact {i + 1})"


def _section_rows(old: dict | None, new: dict | None) -> list[tuple[str, str, str]]:
    """(label, old text, new text) for one section present in either version."""
    if (old or new)["key"] == "chronology":
        old_rows, new_rows = (old or {}).get("rows", []), (new or {}).get("rows", [])
        return [(_contact_label(i, j),
                 contact_text(old_rows[i]) if i is not None else "",
                 contact_text(new_rows[j]) if j is not None else "")
                for i, j in _contact_pairs(old_rows, new_rows)]
    old_fields = {f["label"]: f["value"] for f in (old or {}).get("fields", [])}
    new_fields = {f["label"]: f["value"] for f in (new or {}).get("fields", [])}
    labels = list(old_fields) + [label for label in new_fields if label not in old_fields]
    return [(label, old_fields.get(label, ""), new_fields.get(label, "")) for label in labels]


def compare_snapshots(a: dict, b: dict) -> list[dict]:
    """One row per answer in either version, section by section in the form's order: section, label, both texts
    marked, and whether it changed."""
    left = {s["key"]: s for s in a["sections"]}
    right = {s["key"]: s for s in b["sections"]}
    order = [k for k in SECTION_KEYS if k in left or k in right]
    order += [k for k in list(left) + list(right) if k not in order]
    rows = []
    for key in dict.fromkeys(order):
        old_section, new_section = left.get(key), right.get(key)
        title = (new_section or old_section)["title"]
        for label, old, new in _section_rows(old_section, new_section):
            marked_old, marked_new = _marked(old, new)
            rows.append({"section": title, "label": label, "old": marked_old, "new": marked_new,
                         "changed": old != new})
    return rows
