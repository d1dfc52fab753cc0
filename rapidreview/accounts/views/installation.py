"""The installation's administrator: the partnerships on this installation, with how many people each has, and
adding one with its first business unit user. Nothing here shows a case, a person's roles or anything a
partnership holds; the administrator holds no role in any partnership by being the administrator."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.formviews import handle_form

from ..decorators import installation_admin_required, recent_auth_required
from ..forms import PartnershipCreateForm
from ..selectors import installation_partnerships
from ..services import partnership_create


@installation_admin_required
@require_GET
def partnerships(request):
    return render(request, "accounts/installation.html", {"partnerships": installation_partnerships()})


@installation_admin_required
@recent_auth_required(minutes=15)
@require_http_methods(["GET", "POST"])
def partnership_new(request):
    form = PartnershipCreateForm(request.POST or None)
    if saved := handle_form(request, form, save=lambda data: partnership_create(form=form, actor=request.user),
                            success=lambda saved: f"{saved.name} added. Its business unit has been sent an e-mail.",
                            next_url="accounts:installation"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": "Add a partnership", "submit_label": "Add partnership",
        "intro": "The partnership starts with the standard themes list and default durations. Its business unit "
                 "then adds its people, agencies and settings.",
        "back_url": reverse("accounts:installation")})
