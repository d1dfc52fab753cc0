"""The working group's meetings: what changed since the last one, and recording a meeting."""

import datetime

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_form

from .. import selectors, services
from ..forms import MeetingForm


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_list(request):
    meetings = list(selectors.meetings(partnership=request.partnership).select_related(None)
                    .only("id", "held_on")[:50])
    last = meetings[0] if meetings else None
    since = last.held_on if last else timezone.localdate() - datetime.timedelta(days=30)
    overdue = selectors.overdue_actions(request.user)
    awaiting = selectors.actions_visible_to(request.user).filter(status="completed",
                                                                 completion_confirmed_at__isnull=True)
    shown = selectors.CHANGES_SHOWN
    return render(request, "actionplan/meetings.html", {
        "meetings": meetings, "last": last, "since": since,
        "changes": selectors.changes_since(partnership=request.partnership, since=since),
        "is_working_group": services.is_working_group(request.user),
        "overdue": selectors.action_rows(overdue.order_by("due_on")[:shown]), "overdue_count": overdue.count(),
        "awaiting": selectors.action_rows(awaiting.order_by("completed_on", "pk")[:shown]),
        "awaiting_count": awaiting.count(), "shown": shown,
    })


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_detail(request, meeting_id):
    meeting, previous = selectors.meeting_with_previous(meeting_id, partnership=request.partnership)
    since = previous.held_on if previous else meeting.held_on - datetime.timedelta(days=30)
    return render(request, "actionplan/meeting.html", {
        "meeting": meeting, "previous": previous, "since": since,
        "changes": selectors.changes_since(partnership=meeting.partnership_id, since=since, until=meeting.held_on)})


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if saved := handle_form(request, form,
                            save=lambda data: services.meeting_record(partnership=request.partnership,
                                                                      held_on=data["held_on"], notes=data["notes"],
                                                                      actor=request.user),
                            success="Meeting recorded. Changes from now on count towards the next meeting.",
                            next_url=lambda meeting: meeting):
        return saved
    return render(request, "form_page.html", {"form": form, "title": "Record a working group meeting",
                                              "caption": "Action plan", "back_url": reverse("actionplan:meetings")})
