"""The business unit's settings for the partnership and its list of agencies."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.formviews import handle_form

from ..decorators import role_required
from ..forms import AgencyForm, PartnershipForm
from ..models import Agency, Partnership, Role
from ..services import agency_save, partnership_update


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def partnership_edit(request):
    form = PartnershipForm(request.POST or None, instance=Partnership.load())
    if saved := handle_form(request, form, save=lambda data: partnership_update(form=form, actor=request.user),
                            success="Partnership settings saved. Running clocks keep their due dates.",
                            next_url="accounts:partnership"):
        return saved
    return render(request, "accounts/partnership.html",
                  {"form": form, "title": "Partnership settings", "submit_label": "Save settings"})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def agencies(request):
    return render(request, "accounts/agencies.html", {"agencies": Agency.objects.all()})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id=None):
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST or None, instance=agency)
    if saved := handle_form(request, form, save=lambda data: agency_save(form=form, actor=request.user),
                            success=lambda saved: f"{saved.name} saved.", next_url="accounts:agencies"):
        return saved
    return render(request, "accounts/agency_edit.html", {"form": form, "agency": agency, "submit_label": "Save",
                                                        "title": agency.name if agency else "Add an agency"})
