"""The business unit's settings for the partnership and its list of agencies."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ..decorators import role_required
from ..forms import AgencyForm, PartnershipForm
from ..models import Agency, Partnership, Role
from ..services import agency_save, partnership_update


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def partnership_edit(request):
    form = PartnershipForm(request.POST or None, instance=Partnership.load())
    if request.method == "POST" and form.is_valid():
        partnership_update(form=form, actor=request.user)
        messages.success(request, "Partnership settings saved. Running clocks keep their due dates.")
        return redirect("accounts:partnership")
    return render(request, "accounts/partnership.html",
                  {"form": form, "title": "Partnership settings", "submit_label": "Save settings"})


@role_required(Role.BUSINESS_UNIT)
def agencies(request):
    return render(request, "accounts/agencies.html", {"agencies": Agency.objects.all()})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id=None):
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        agency = agency_save(form=form, actor=request.user)
        messages.success(request, f"{agency.name} saved.")
        return redirect("accounts:agencies")
    return render(request, "accounts/agency_edit.html", {"form": form, "agency": agency, "submit_label": "Save",
                                                        "title": agency.name if agency else "Add an agency"})
