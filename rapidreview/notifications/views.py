"""The outbox: every e-mail the service wrote, with its delivery status, for the business unit."""

from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_action
from rapidreview.pagination import paginate

from .composing import bodies
from .selectors import FILTERS, get_notification
from .selectors import outbox as outbox_rows
from .services import notification_resend

PAGE_SIZE = 50


@role_required(Role.BUSINESS_UNIT)
@require_GET
def outbox(request):
    status = request.GET.get("status", "")
    if status not in dict(FILTERS):
        status = ""
    page = paginate(request, outbox_rows(request.user, status), PAGE_SIZE)
    return render(request, "notifications/outbox.html", {
        "page": page, "rows": page.object_list, "status": status, "statuses": FILTERS,
        "query": f"status={status}" if status else "",
    })


@role_required(Role.BUSINESS_UNIT)
@require_GET
def detail(request, notification_id):
    row = get_notification(request.user, notification_id)
    access_log(request, obj=row)  # an e-mail's body can name people: who read it is kept (issue 21, finding 12)
    return render(request, "notifications/detail.html", {"row": row, "body_text": bodies(row)[0]})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def resend(request, notification_id):
    row = get_notification(request.user, notification_id)
    return handle_action(request, lambda: notification_resend(notification=row, actor=request.user),
                         success=f"The e-mail to {row.to_email} is queued to be sent again.",
                         next_url="notifications:outbox", refused_url="notifications:outbox")
