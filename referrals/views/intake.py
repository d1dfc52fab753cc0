"""The signed-in referral wizard: a few grouped question pages kept in the session, then check answers.

Each step stores what was typed (the raw POST), so going back shows it again and the check-answers page
re-validates everything before anything is saved. A referral goes to the partnership the referrer acts in when they
start it (the page header names it); switching partnership on the way starts again, so that nothing typed for one
partnership reaches another.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.db import DomainError

from ..forms import (
    AgenciesForm,
    ChildForm,
    CriteriaForm,
    HouseholdFormSet,
    IncidentForm,
    KindForm,
    ReferrerForm,
)
from ..models import Source
from ..selectors import open_cdop_discussion, possible_duplicates
from ..services import cdop_referral_due_on, referral_submit

SESSION_KEY = "referral_wizard"
DONE_KEY = "referral_done"
REFERRERS = (Role.AGENCY_LEAD, Role.BUSINESS_UNIT)

STEPS = [
    ("referrer", "About the referrer"),
    ("child", "About the child"),
    ("household", "The child's household"),
    ("incident", "The incident"),
    ("agencies", "Agencies involved"),
    ("criteria", "Why the criteria are met"),
]
STEP_TITLES = dict(STEPS)
STEP_NAMES = [s for s, _ in STEPS]


def _wizard(request) -> dict | None:
    wizard = request.session.get(SESSION_KEY)
    if wizard is not None and wizard.get("partnership") != request.partnership.pk:
        del request.session[SESSION_KEY]
        messages.info(request, "You switched partnership, so the referral you had started was not kept. Start it "
                               "again for this partnership.")
        return None
    return wizard


def _form_for(step: str, wizard: dict, user, data=None):
    source, on_behalf = wizard["source"], wizard["on_behalf"]
    if step == "referrer":
        initial = {}
        if not on_behalf:
            initial = {"referrer_name": user.full_name, "referrer_role": user.job_title,
                       "referrer_email": user.email, "referrer_phone": user.phone}
        return ReferrerForm(data, initial=initial, user=user, source=source, on_behalf=on_behalf,
                            discussion_known=bool(wizard.get("cdop_discussion")))
    if step == "household":
        return HouseholdFormSet(data, prefix="household")
    return {"child": ChildForm, "incident": IncidentForm, "agencies": AgenciesForm, "criteria": CriteriaForm}[step](
        data)


def _stored(wizard: dict, step: str):
    raw = wizard["steps"].get(step)
    return MultiValueDict(raw) if raw is not None else None


def _bound_forms(wizard: dict, user) -> dict:
    return {step: _form_for(step, wizard, user, _stored(wizard, step)) for step in STEP_NAMES}


@role_required(*REFERRERS)
@require_http_methods(["GET", "POST"])
def referral_start(request):
    """Start a referral: choose professional or CDOP/JAR (the business unit may also enter a public one)."""
    discussion = open_cdop_discussion(request.GET.get("discussion"), partnership=request.partnership) \
        if request.user.has_role(Role.BUSINESS_UNIT) else None
    if discussion is not None:
        # From a recorded CDOP or JAR discussion: its forum and date are already known.
        request.session[SESSION_KEY] = {"source": Source.CDOP_JAR, "on_behalf": True, "steps": {},
                                        "checking": False, "cdop_discussion": str(discussion.pk),
                                        "partnership": request.partnership.pk}
        return redirect("referrals:referral_step", step=STEP_NAMES[0])
    form = KindForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Anyone who is not an agency lead referring for their own agency enters it on someone's behalf.
        on_behalf = not (request.user.has_role(Role.AGENCY_LEAD) and request.user.agency_id) or \
            form.cleaned_data["source"] == Source.PUBLIC
        request.session[SESSION_KEY] = {"source": form.cleaned_data["source"], "on_behalf": on_behalf, "steps": {},
                                        "checking": False, "partnership": request.partnership.pk}
        return redirect("referrals:referral_step", step=STEP_NAMES[0])
    return render(request, "referrals/referral_start.html", {
        "form": form, "title": "Make a referral", "caption": "Rapid review referral", "back_url": reverse("home"),
        "records_cdop": request.user.has_role(Role.BUSINESS_UNIT),
        "intro": "Tell us about a child who has died or been seriously harmed where abuse or neglect is known or "
                 "suspected. It takes about 20 minutes. You can check your answers before you send it."})


@role_required(*REFERRERS)
@require_http_methods(["GET", "POST"])
def referral_step(request, step):
    """One grouped question page of the wizard."""
    wizard = _wizard(request)
    if wizard is None or step not in STEP_TITLES:
        return redirect("referrals:referral_start")
    if request.method == "POST":
        form = _form_for(step, wizard, request.user, request.POST)
        if form.is_valid():
            data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
            wizard["steps"][step] = data
            request.session[SESSION_KEY] = wizard
            index = STEP_NAMES.index(step)
            if wizard.get("checking") or index == len(STEP_NAMES) - 1:
                return redirect("referrals:referral_check")
            return redirect("referrals:referral_step", step=STEP_NAMES[index + 1])
    else:
        form = _form_for(step, wizard, request.user, _stored(wizard, step))
        if _stored(wizard, step) is None:
            form = _form_for(step, wizard, request.user)
    index = STEP_NAMES.index(step)
    back = reverse("referrals:referral_step", args=[STEP_NAMES[index - 1]]) if index else \
        reverse("referrals:referral_start")
    if wizard.get("checking"):
        back = reverse("referrals:referral_check")
    context = {"form": form, "title": STEP_TITLES[step], "back_url": back, "submit_label": "Continue",
               "caption": f"{Source(wizard['source']).label} referral – step {index + 1} of {len(STEP_NAMES)}",
               "agency": None if wizard["on_behalf"] else request.user.agency}
    template = "referrals/wizard_household.html" if step == "household" else "referrals/wizard_step.html"
    return render(request, template, context)


def _summary_rows(forms: dict, wizard: dict, user) -> list[dict]:
    """Check-answers sections: (title, change url, rows of label and shown value)."""
    sections = []
    for step in STEP_NAMES:
        form = forms[step]
        rows = []
        if step == "household":
            for member in form.members():
                detail = ", ".join(v for v in (member.get("relationship"), member.get("age"), member.get("notes")) if v)
                rows.append({"label": member["name"], "value": detail or "–"})
            if not rows:
                rows.append({"label": "Household members", "value": "None given"})
        else:
            if step == "referrer" and not wizard["on_behalf"]:
                rows.append({"label": "Agency", "value": str(user.agency or "–")})
            for name, field in form.fields.items():
                value = form.cleaned_data.get(name)
                rows.append({"label": field.label, "value": _shown(field, value)})
        sections.append({"title": STEP_TITLES[step], "url": reverse("referrals:referral_step", args=[step]),
                         "rows": rows})
    return sections


def _shown(field, value) -> str:
    if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    choices = dict(getattr(field, "choices", []) or [])
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value)
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


def _cdop_warning(forms: dict, discussion, partnership) -> str:
    """Said on the check-answers page when the week after the CDOP or JAR discussion has passed."""
    discussed_on = discussion.discussed_on if discussion else forms["referrer"].cleaned_data.get("cdop_discussed_on")
    if not discussed_on:
        return ""
    due = cdop_referral_due_on(discussed_on, partnership=partnership)
    today = timezone.localdate()
    if today <= due:
        return ""
    return (f"The case was discussed on {discussed_on:%-d %B %Y}, {(today - discussed_on).days} days ago. "
            f"Referrals should be made within a week of the discussion (by {due:%-d %B %Y}). You can still send "
            f"it: it will be recorded as late.")


def referral_data(forms: dict, wizard: dict, user) -> tuple[dict, list[dict], list]:
    data = {}
    for step in ("referrer", "child", "incident", "criteria"):
        data.update(forms[step].cleaned_data)
    data["other_agencies"] = forms["agencies"].cleaned_data.get("other_agencies", "")
    if not wizard["on_behalf"]:
        data["referrer_agency"] = user.agency
    data["entered_on_behalf"] = wizard["on_behalf"]
    data["discussed_with_manager"] = bool(data.get("discussed_with_manager"))
    data = {k: ("" if v is None and k not in {"child_dob", "la_aware_on", "incident_date", "cdop_discussed_on",
                                              "referrer_agency"} else v) for k, v in data.items()}
    return data, forms["household"].members(), list(forms["agencies"].cleaned_data.get("agencies") or [])


@role_required(*REFERRERS)
@require_http_methods(["GET", "POST"])
def referral_check(request):
    """Check answers, warn about a child who matches an existing case, then send."""
    wizard = _wizard(request)
    if wizard is None:
        return redirect("referrals:referral_start")
    forms = _bound_forms(wizard, request.user)
    for step in STEP_NAMES:
        if _stored(wizard, step) is None or not forms[step].is_valid():
            if _stored(wizard, step) is not None:
                messages.error(request, "Some answers need checking.")
            return redirect("referrals:referral_step", step=step)
    wizard["checking"] = True
    request.session[SESSION_KEY] = wizard
    data, household, agencies = referral_data(forms, wizard, request.user)
    discussion = None
    if wizard.get("cdop_discussion"):
        discussion = open_cdop_discussion(wizard["cdop_discussion"], partnership=request.partnership)
        if discussion is None:
            del request.session[SESSION_KEY]
            messages.error(request, "That CDOP or JAR discussion has already been followed up.")
            return redirect("referrals:cdop_list")
    if request.method == "POST":
        matches = possible_duplicates(first_name=data["child_first_name"], last_name=data["child_last_name"],
                                      dob=data["child_dob"], partnership=request.partnership)
        if matches.exists() and not request.POST.get("confirm_duplicate"):
            return render(request, "referrals/duplicate_warning.html", {
                "matches": matches if request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR) else None,
                "count": matches.count()})
        try:
            case = referral_submit(source=wizard["source"], data=data, household=household, agencies=agencies,
                                   actor=request.user, cdop_discussion=discussion, partnership=request.partnership)
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("referrals:referral_check")
        del request.session[SESSION_KEY]
        request.session[DONE_KEY] = {"reference": case.reference, "case_id": str(case.pk)}
        return redirect("referrals:referral_done")
    return render(request, "referrals/check_answers.html", {
        "sections": _summary_rows(forms, wizard, request.user), "source": Source(wizard["source"]).label,
        "discussion": discussion, "cdop_warning": _cdop_warning(forms, discussion, request.partnership),
        "back_url": reverse("referrals:referral_step", args=[STEP_NAMES[-1]])})


@role_required(*REFERRERS)
@require_GET
def referral_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("home")
    return render(request, "referrals/referral_done.html", {
        "reference": done["reference"], "case_id": done["case_id"],
        "sees_case": request.user.has_role(Role.BUSINESS_UNIT, Role.RR_CHAIR)})
