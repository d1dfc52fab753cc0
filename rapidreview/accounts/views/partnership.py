"""The business unit's settings for its own partnership and the agencies in its arrangements.

Agencies are the installation's, shared by the partnerships that list them: a business unit adds new ones to its
own arrangements and changes those no other partnership lists; one another partnership also lists is changed by
the installation's administrator, since every partnership sees the change.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.formviews import handle_action, handle_form

from ..decorators import role_required
from ..forms import AgencyForm, LeadPartnerForm, PartnershipForm
from ..models import Agency, LeadSafeguardingPartner, Role
from ..selectors import (
    agencies_to_add,
    agency_shared_with_others,
    installation_agency,
    lead_partner,
    lead_partners,
    partnership_agency,
    partnership_agency_list,
)
from ..services import (
    agency_save,
    lead_partner_save,
    partnership_agency_add,
    partnership_agency_remove,
    partnership_update,
)


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def partnership_edit(request):
    """The acting partnership's own settings: nothing here reaches another partnership."""
    form = PartnershipForm(request.POST or None, instance=request.partnership)
    if saved := handle_form(request, form, save=lambda data: partnership_update(form=form, actor=request.user),
                            success="Partnership settings saved. Running clocks keep their due dates.",
                            next_url="accounts:partnership"):
        return saved
    return render(request, "accounts/partnership.html",
                  {"form": form, "title": "Partnership settings", "caption": request.partnership.name,
                   "submit_label": "Save settings"})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def agencies(request):
    """The partnership's agencies, and a search of the installation's others to add (``?q=``)."""
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "accounts/agencies.html", {
        "agencies": partnership_agency_list(request.partnership), "query": query,
        "found": agencies_to_add(request.partnership, query)})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def agency_add(request, agency_id):
    """Add an agency of the installation to the partnership's arrangements."""
    agency = installation_agency(agency_id)
    return handle_action(request, lambda: partnership_agency_add(partnership=request.partnership, agency=agency,
                                                                 actor=request.user),
                         success=f"{agency.name} now takes part in your arrangements.",
                         next_url="accounts:agencies", refused_url="accounts:agencies")


@role_required(Role.BUSINESS_UNIT)
@require_POST
def agency_remove(request, agency_id):
    """Take an agency out of the partnership's arrangements; what it did here stays."""
    try:
        agency = partnership_agency(agency_id, partnership=request.partnership)
    except Agency.DoesNotExist as missing:
        raise Http404 from missing
    return handle_action(request, lambda: partnership_agency_remove(partnership=request.partnership, agency=agency,
                                                                    actor=request.user),
                         success=f"{agency.name} no longer takes part in your arrangements. Its forms and roles "
                                 "so far are kept.", next_url="accounts:agencies", refused_url="accounts:agencies")


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id=None):
    agency = None
    if agency_id:
        try:
            agency = partnership_agency(agency_id, partnership=request.partnership)
        except Agency.DoesNotExist as missing:
            raise Http404 from missing
        if agency_shared_with_others(agency, partnership=request.partnership):
            if request.method == "POST":
                raise PermissionDenied
            return render(request, "accounts/agency_shared.html", {"agency": agency})
    form = AgencyForm(request.POST or None, instance=agency)
    if saved := handle_form(request, form,
                            save=lambda data: agency_save(form=form, partnership=request.partnership,
                                                          actor=request.user),
                            success=lambda saved: f"{saved.name} saved.", next_url="accounts:agencies"):
        return saved
    return render(request, "accounts/agency_edit.html", {"form": form, "agency": agency, "submit_label": "Save",
                                                        "title": agency.name if agency else "Add an agency"})


@role_required(Role.BUSINESS_UNIT)
@require_GET
def lead_partners_list(request):
    """The partnership's Lead Safeguarding Partners and their delegates (Working Together 2023)."""
    return render(request, "accounts/lead_partners.html", {"leads": lead_partners(request.partnership)})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def lead_partner_edit(request, lead_id=None):
    lead = None
    if lead_id:
        try:
            lead = lead_partner(lead_id, partnership=request.partnership)
        except LeadSafeguardingPartner.DoesNotExist as missing:
            raise Http404 from missing
    form = LeadPartnerForm(request.POST or None, instance=lead, partnership=request.partnership)
    if saved := handle_form(request, form,
                            save=lambda data: lead_partner_save(form=form, partnership=request.partnership,
                                                                actor=request.user),
                            success=lambda saved: f"{saved.name} saved.", next_url="accounts:lead_partners"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": str(lead) if lead else "Add a Lead Safeguarding Partner",
        "caption": request.partnership.name, "submit_label": form.submit_label,
        "back_url": reverse("accounts:lead_partners")})
