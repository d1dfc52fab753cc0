"""The sections of an agency check form: their fields, when each is complete, and how a form reads as text.

One list drives the task list, the section pages, the check-answers page, the versions, the comparison and the
pack, so a section added here appears everywhere.
"""

from dataclasses import dataclass

from .models import AgencyCheckForm


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[str, ...]
    hint: str = ""
    needs_involvement: bool = True


SECTIONS = (
    Section("involvement", "Your agency's involvement",
            ("involved", "no_involvement_note", "involvement_from", "involvement_to", "involvement_ongoing",
             "involvement_summary"),
            "Whether your agency knew the child or family, and when.", needs_involvement=False),
    Section("chronology", "Chronology of contacts", (),
            "Each contact your agency had with the child or family, in your own words."),
    Section("analysis", "Analysis of practice",
            ("analysis", "went_well", "could_be_better", "prevention"),
            "Key practice episodes, what went well, what could have worked better and how a similar incident "
            "could be prevented."),
    Section("themes", "Themes", ("themes", "themes_other", "themes_in_other_cases"),
            "The themes of this case, and whether they come up in other cases."),
    Section("learning", "Good practice and learning",
            ("good_practice", "improvement_areas", "immediate_actions", "agency_learning"),
            "Good practice, areas for improvement, actions already taken and learning for your agency."),
    Section("signoff", "Author and manager's sign-off",
            ("author_name", "author_role", "manager_name", "manager_role", "manager_signed_on"),
            "Who wrote the form and the manager who signed it off.", needs_involvement=False),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
BY_KEY = {s.key: s for s in SECTIONS}

# Free-text fields the writing assistant reads, in the order a reader meets them.
TEXT_FIELDS = ("no_involvement_note", "involvement_summary", "analysis", "went_well", "could_be_better",
               "prevention", "themes_other", "themes_in_other_cases", "good_practice", "improvement_areas",
               "immediate_actions", "agency_learning")


def label(field_name: str) -> str:
    return str(AgencyCheckForm._meta.get_field(field_name).verbose_name)


def sections_for(form: AgencyCheckForm) -> tuple[Section, ...]:
    """The sections this form needs: only involvement and sign-off when the agency had no involvement."""
    if form.involved is False:
        return tuple(s for s in SECTIONS if not s.needs_involvement)
    return SECTIONS


def missing(form: AgencyCheckForm, key: str, chronology_count: int) -> list[str]:
    """What still needs answering in section ``key`` before the form can be submitted."""
    gaps = []
    if key == "involvement":
        if form.involved is None:
            return ["Say whether your agency has been involved with the child or family"]
        if form.involved is False:
            if not form.no_involvement_note.strip():
                gaps.append("Confirm the checks you made")
            return gaps
        if not form.involvement_from:
            gaps.append("Enter the date involvement started")
        if not form.involvement_to and not form.involvement_ongoing:
            gaps.append("Enter the date involvement ended, or say it is ongoing")
        if not form.involvement_summary.strip():
            gaps.append("Say which services were involved, and why")
    elif key == "chronology":
        if not chronology_count:
            gaps.append("Add at least one contact to the chronology")
    elif key == "themes":
        if not form.themes and not form.themes_other.strip():
            gaps.append("Choose at least one theme or describe one")
        if not form.themes_in_other_cases.strip():
            gaps.append("Say whether these themes are coming up in other cases")
    else:
        for name in BY_KEY[key].fields:
            value = getattr(form, name)
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                gaps.append(f"Enter {label(name)[0].lower()}{label(name)[1:].rstrip('?')}")
    return gaps


def section_status(form: AgencyCheckForm, key: str, chronology_count: int) -> str:
    """'done', 'in_progress' or 'todo' for the task list."""
    if not missing(form, key, chronology_count):
        return "done"
    section = BY_KEY[key]
    if key == "chronology":
        return "todo"
    started = any(getattr(form, f) not in (None, "", [], False) for f in section.fields)
    return "in_progress" if started else "todo"


def all_missing(form: AgencyCheckForm, chronology_count: int) -> dict[str, list[str]]:
    gaps = {s.key: missing(form, s.key, chronology_count) for s in sections_for(form)}
    return {k: v for k, v in gaps.items() if v}


def _display(form: AgencyCheckForm, name: str) -> str:
    value = getattr(form, name)
    if name == "involved":
        return {True: "Yes", False: "No", None: ""}[value]
    if name == "involvement_ongoing":
        return "Yes" if value else "No"
    if name == "themes":
        return ", ".join(value or [])
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return value or ""


def snapshot(form: AgencyCheckForm) -> dict:
    """The form as plain text, section by section: what a version keeps and what the comparison reads."""
    sections = []
    for section in sections_for(form):
        if section.key == "chronology":
            rows = [{"id": str(e.pk), "date": f"{e.date.day} {e.date:%B %Y}",
                     "contact_type": e.get_contact_type_display(), "summary": e.summary,
                     "practitioner_role": e.practitioner_role}
                    for e in form.chronology.all()]
            sections.append({"key": "chronology", "title": section.title, "rows": rows})
            continue
        fields = [{"name": n, "label": label(n), "value": _display(form, n)} for n in section.fields
                  if not (form.involved is False and n in ("involvement_from", "involvement_to",
                                                           "involvement_ongoing", "involvement_summary"))
                  and not (form.involved and n == "no_involvement_note")]
        sections.append({"key": section.key, "title": section.title, "fields": fields})
    return {"agency": form.agency.name, "case": form.case.reference, "sections": sections}


def contact_text(row: dict) -> str:
    """One chronology row of a snapshot as the comparison shows it."""
    return f"{row['date']} – {row['contact_type']} – {row['practitioner_role']}\n{row['summary']}"


def section_of(field_name: str) -> str:
    """The section a field (or a chronology row, "chronology-N") belongs to."""
    if field_name.startswith("chronology"):
        return "chronology"
    return next((s.key for s in SECTIONS if field_name in s.fields), "involvement")
