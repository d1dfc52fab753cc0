"""Quality assurance of a submitted form (return it with comments, or accept it) and its submitted versions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.db import DomainError
from rapidreview.formviews import handle_form
from referrals.selectors import get_led_case

from .. import selectors, services
from ..compare import compare_snapshots
from ..forms import AcceptForm, ReturnForm
from ..models import FormStatus
from ..sections import sections_for, snapshot
from .common import FORM_ROLES


def _submitted_form_for_qa(request, form_id):
    """A form the user may see, on a case their partnership leads (403 when it only takes part: the leading
    partnership's business unit quality-assures), with a redirect when it is not waiting for that."""
    form = selectors.get_visible_form(request.user, form_id)
    get_led_case(request.user, form.case_id)
    if form.status != FormStatus.SUBMITTED:
        messages.info(request, "Only a submitted form can be returned or accepted.")
        return form, redirect(form.get_absolute_url())
    return form, None


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def return_form(request, form_id):
    form, done = _submitted_form_for_qa(request, form_id)
    if done:
        return done
    qa = ReturnForm(request.POST or None, sections=sections_for(form))
    if saved := handle_form(request, qa,
                            save=lambda data: services.form_return(form=form, actor=request.user,
                                                                   comments=qa.comments(), note=data.get("note", "")),
                            success=lambda _: f"{form.agency.name}'s form returned. Their safeguarding leads have "
                                              "been told.",
                            next_url=reverse("agencychecks:board", args=[form.case_id])):
        return saved
    access_log(request, obj=form, case_id=form.case_id)
    return render(request, "agencychecks/return.html", {
        "form": qa, "check_form": form, "snap": snapshot(form), "title": "Return the form with comments",
        "caption": f"{form.case.reference} – {form.agency.name}", "submit_label": "Return the form",
        "back_url": form.get_absolute_url()})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def accept_form(request, form_id):
    form, done = _submitted_form_for_qa(request, form_id)
    if done:
        return done
    qa = AcceptForm(request.POST)
    if qa.is_valid():
        try:
            services.form_accept(form=form, actor=request.user, note=qa.cleaned_data.get("note", ""))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{form.agency.name}'s form accepted. It will be in the panel pack.")
            return redirect("agencychecks:board", case_id=form.case_id)
    else:
        messages.error(request, "; ".join(e for errs in qa.errors.values() for e in errs))
    return redirect(form.get_absolute_url())


@role_required(*FORM_ROLES)
@require_GET
def versions(request, form_id):
    """Every submitted version; two of them side by side."""
    form = selectors.get_visible_form(request.user, form_id)
    all_versions = list(form.versions.select_related("submitted_by").order_by("number"))
    if not all_versions:
        raise Http404("This form has not been submitted yet.")
    numbers = [v.number for v in all_versions]

    def pick(param, default):
        try:
            value = int(request.GET.get(param, default))
        except (TypeError, ValueError):
            return default
        return value if value in numbers else default

    b = pick("b", numbers[-1])
    a = pick("a", numbers[-2] if len(numbers) > 1 else numbers[-1])
    by_number = {v.number: v for v in all_versions}
    access_log(request, obj=form, case_id=form.case_id)
    return render(request, "agencychecks/versions.html", {
        "form": form, "versions": all_versions, "a": by_number[a], "b": by_number[b],
        "rows": compare_snapshots(by_number[a].snapshot, by_number[b].snapshot)})
