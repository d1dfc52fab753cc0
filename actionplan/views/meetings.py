"""The working group's meetings: what changed since the last one, and recording a meeting."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.db import DomainError

from .. import selectors, services
from ..forms import MeetingForm
from ..models import WorkingGroupMeeting


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_list(request):
    meetings = list(selectors.meetings()[:50])
    last = meetings[0] if meetings else None
    since = last.held_on if last else timezone.localdate() - datetime.timedelta(days=30)
    return render(request, "actionplan/meetings.html", {
        "meetings": meetings, "last": last, "since": since, "changes": selectors.changes_since(since=since),
        "is_working_group": services.is_working_group(request.user),
        "overdue": selectors.overdue_actions(request.user).order_by("due_on")[:50],
        "awaiting": selectors.actions_visible_to(request.user).filter(
            status="completed", completion_confirmed_at__isnull=True).select_related("case", "agency"),
    })


@require_GET
@role_required(Role.WORKING_GROUP, Role.BUSINESS_UNIT)
def meeting_detail(request, meeting_id):
    meeting = get_object_or_404(WorkingGroupMeeting, pk=meeting_id)
    previous = WorkingGroupMeeting.objects.filter(held_on__lt=meeting.held_on).order_by("-held_on").first()
    since = previous.held_on if previous else meeting.held_on - datetime.timedelta(days=30)
    return render(request, "actionplan/meeting.html", {
        "meeting": meeting, "previous": previous, "since": since,
        "changes": selectors.changes_since(since=since, until=meeting.held_on)})


@require_http_methods(["GET", "POST"])
@role_required(Role.WORKING_GROUP)
def meeting_create(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(held_on=form.cleaned_data["held_on"], notes=form.cleaned_data["notes"],
                                              actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Meeting recorded. Changes from now on count towards the next meeting.")
            return redirect(meeting)
    return render(request, "form_page.html", {"form": form, "title": "Record a working group meeting",
                                              "caption": "Action plan", "back_url": reverse("actionplan:meetings")})
