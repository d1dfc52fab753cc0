"""Comparing two submitted versions of a form, answer by answer, with the words added and removed marked."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .sections import snapshot_lines

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


def compare_snapshots(a: dict, b: dict) -> list[dict]:
    """One row per answer in either version: section, label, both texts marked, and whether it changed."""
    left = {(s, label): text for s, label, text in snapshot_lines(a)}
    right = {(s, label): text for s, label, text in snapshot_lines(b)}
    keys = list(left) + [k for k in right if k not in left]
    rows = []
    for key in keys:
        old, new = left.get(key, ""), right.get(key, "")
        marked_old, marked_new = _marked(old, new)
        rows.append({"section": key[0], "label": key[1], "old": marked_old, "new": marked_new,
                     "changed": old != new})
    return rows
