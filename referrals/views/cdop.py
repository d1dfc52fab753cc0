"""CDOP and JAR discussions: the business unit records them, then a referral (or a reason for none) follows
within a week. Each belongs to the partnership the business unit acts in; another's is a 404."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_form

from ..forms import CdopDiscussionForm, NoReferralForm
from ..selectors import cdop_discussions
from ..services import cdop_discussion_no_referral, cdop_discussion_record


@role_required(Role.BUSINESS_UNIT)
@require_GET
def cdop_list(request):
    discussions = cdop_discussions(partnership=request.partnership)
    return render(request, "referrals/cdop_list.html", {
        "open": [d for d in discussions if d.is_open], "concluded": [d for d in discussions if not d.is_open][:50],
        "today": timezone.localdate()})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def cdop_new(request):
    form = CdopDiscussionForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda d: cdop_discussion_record(
                                actor=request.user, partnership=request.partnership, **d),
                            success=lambda d: f"Discussion recorded. A referral should follow by "
                                              f"{d.referral_due_on:%-d %B %Y}.",
                            next_url=lambda d: d):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Record a CDOP or JAR discussion", "caption": "Referrals",
        "back_url": reverse("referrals:cdop_list"),
        "intro": "Every case discussed at the child death overview panel or a joint agency response meeting should "
                 "be considered for a referral to the Rapid Review Panel. A referral should follow within a week of "
                 "the discussion; you will be reminded."})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def cdop_discussion(request, discussion_id):
    discussion = get_object_or_404(cdop_discussions(partnership=request.partnership), pk=discussion_id)
    form = NoReferralForm(request.POST or None)
    if discussion.is_open and (saved := handle_form(
            request, form, save=lambda d: cdop_discussion_no_referral(discussion=discussion, actor=request.user,
                                                                      reason=d["reason"]),
            success="Recorded that no referral is needed.", next_url="referrals:cdop_list")):
        return saved
    return render(request, "referrals/cdop_detail.html", {
        "discussion": discussion, "form": form, "due_on": discussion.referral_due_on,
        "today": timezone.localdate()})
