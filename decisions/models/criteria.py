"""The review criteria of SI 2018/789, answered one by one at the panel, on the decision sheet and by the National
Panel (docs/national-templates.md cites the text)."""

from django.db import models


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


# Regulation 11: what the safeguarding partners take into account in deciding on a local review.
REGULATION_11 = {
    "a": "highlights or may highlight improvements needed to safeguard and promote the welfare of children, "
         "including where those improvements have been previously identified",
    "b": "highlights or may highlight recurrent themes in the safeguarding and promotion of the welfare of children",
    "c": "highlights or may highlight concerns regarding two or more agencies working together effectively to "
         "safeguard and promote the welfare of children",
    "d": "is one which the Child Safeguarding Practice Review Panel have considered and concluded a local review "
         "may be more appropriate",
}

# Regulation 3: what the National Panel takes into account in deciding on a national review.
REGULATION_3 = {
    "a": "highlights or may highlight improvements needed to safeguard and promote the welfare of children, "
         "including where those improvements have been previously identified",
    "b": "raises or may raise issues requiring legislative change or changes to guidance issued under or further "
         "to any enactment",
    "c": "highlights or may highlight recurrent themes in the safeguarding and promotion of the welfare of children",
}

REG11_FIELDS = [n for k in REGULATION_11 for n in (f"reg11_{k}", f"reg11_{k}_reason")]
REG3_FIELDS = [n for k in REGULATION_3 for n in (f"reg3_{k}", f"reg3_{k}_reason")]


def reg11_field(letter: str):
    return models.CharField(f"regulation 11 ({letter}): does the case {REGULATION_11[letter]}?", max_length=3,
                            choices=YesNo.choices, blank=True)


def reg3_field(letter: str):
    return models.CharField(f"regulation 3 ({letter}): does the case {REGULATION_3[letter]}?", max_length=3,
                            choices=YesNo.choices, blank=True)


def reason_field(regulation: str, letter: str):
    return models.TextField(f"reasons for regulation {regulation} ({letter})", blank=True)


def answers(obj, regulation: dict, prefix: str) -> list[dict]:
    """Each criterion of ``regulation`` with ``obj``'s answer and reasons (``prefix`` "reg11" or "reg3")."""
    return [{"letter": k, "criterion": text, "answer": getattr(obj, f"get_{prefix}_{k}_display")(),
             "reasons": getattr(obj, f"{prefix}_{k}_reason")} for k, text in regulation.items()]


class CriterionView(models.TextChoices):
    """The National Panel's view of the partners' answer on one national review criterion."""

    AGREES = "agrees", "Agrees"
    DISAGREES = "disagrees", "Disagrees"
    NOT_STATED = "not_stated", "Not stated"
