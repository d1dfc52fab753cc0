"""Deadlines: my deadlines (everyone), all deadlines and changing one (business unit), non-working days. Each page
shows the acting partnership's (the selectors decide)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from rapidreview.pagination import paginate

from .filters import OPEN, DeadlineFilter
from .forms import NonWorkingDayForm, RecalculateForm
from .ladders import ladder_for, step_date
from .selectors import all_deadlines as all_deadlines_query
from .selectors import (
    clock_changes,
    decorate,
    get_clock_for_business_unit,
    get_non_working_day,
    my_deadlines,
    non_working_days,
)
from .services import clock_recalculate, non_working_day_add, non_working_day_remove

PAGE_SIZE = 50


@require_GET
def mine(request):
    """The deadlines whose reminders come to the signed-in person."""
    page = paginate(request, my_deadlines(request.user), PAGE_SIZE)
    return render(request, "clocks/mine.html", {"page": page, "clocks": decorate(page.object_list)})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def all_deadlines(request):
    data = request.GET.copy()
    data.setdefault("state", OPEN)
    filters = DeadlineFilter(data, queryset=all_deadlines_query(request.user))
    clocks = filters.qs if filters.is_valid() else all_deadlines_query(request.user)
    page = paginate(request, clocks, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "clocks/all.html", {"filter": filters, "page": page, "clocks": decorate(page.object_list),
                                               "query": query.urlencode()})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def detail(request, clock_id):
    clock = get_clock_for_business_unit(request.user, clock_id)
    access_log(request, obj=clock, case_id=clock.case_id)
    steps = [{"step": s, "on": step_date(clock, s), "done": i < clock.next_step}
             for i, s in enumerate(ladder_for(clock.kind))]
    return render(request, "clocks/detail.html", {"clock": decorate([clock])[0], "steps": steps,
                                                  "changes": clock_changes(clock)})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def recalculate(request, clock_id):
    clock = get_clock_for_business_unit(request.user, clock_id)
    form = RecalculateForm(request.POST or None, initial={"due_on": clock.due_on})
    if saved := handle_form(request, form,
                            save=lambda data: clock_recalculate(clock=clock, due_on=data["due_on"],
                                                                reason=data["reason"], actor=request.user),
                            success=lambda _: f"Due date changed to {clock.due_on:%-d %B %Y}.",
                            next_url=reverse("clocks:detail", args=[clock.pk])):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Change the due date", "submit_label": "Change due date",
        "caption": f"{clock.reference} {clock.get_kind_display()}".strip(),
        "intro": f"It is due on {clock.due_on:%-d %B %Y}. Reminders follow the new date; reminders already sent "
                 "are not sent again.",
        "back_url": f"/deadlines/{clock.pk}/", "cancel_url": f"/deadlines/{clock.pk}/",
    })


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def closures(request):
    """The acting partnership's closures, on top of weekends and England's bank holidays: only its own clocks
    count around them."""
    form = NonWorkingDayForm(request.POST or None, partnership=request.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: non_working_day_add(partnership=request.partnership, date=data["date"],
                                                                  reason=data["reason"], actor=request.user),
                            success=lambda day: f"{day.date:%-d %B %Y} is now a non-working day. Deadlines already "
                                                "running keep their due dates.",
                            next_url="clocks:closures"):
        return saved
    return render(request, "clocks/closures.html", {"form": form, "days": non_working_days(request.user)})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def closure_remove(request, day_id):
    day = get_non_working_day(request.user, day_id)
    non_working_day_remove(day=day, actor=request.user)
    messages.success(request, f"{day.date:%-d %B %Y} is a working day again.")
    return redirect("clocks:closures")
