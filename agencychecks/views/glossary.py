"""The glossary of terms in capitals the writing assistant knows, and its upkeep by the business unit."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.formviews import handle_form

from .. import services
from ..forms import GlossaryTermForm
from ..models import GlossaryTerm
from .common import FORM_ROLES


@role_required(*FORM_ROLES)
@require_GET
def glossary(request):
    return render(request, "agencychecks/glossary.html", {
        "terms": GlossaryTerm.objects.all(), "can_edit": request.user.has_role(Role.BUSINESS_UNIT)})


@role_required(Role.BUSINESS_UNIT)
@require_http_methods(["GET", "POST"])
def glossary_edit(request, term_id=None):
    term = get_object_or_404(GlossaryTerm, pk=term_id) if term_id else None
    form = GlossaryTermForm(request.POST or None, instance=term)
    if saved := handle_form(request, form, save=lambda data: services.glossary_term_save(form=form, actor=request.user),
                            success=lambda saved: f"{saved.term} saved in the glossary.",
                            next_url="agencychecks:glossary"):
        return saved
    return render(request, "form_page.html", {
        "form": form, "title": f"Change {term.term}" if term else "Add a term to the glossary",
        "caption": "Glossary", "submit_label": "Save", "back_url": reverse("agencychecks:glossary")})


@role_required(Role.BUSINESS_UNIT)
@require_POST
def glossary_delete(request, term_id):
    term = get_object_or_404(GlossaryTerm, pk=term_id)
    services.glossary_term_delete(term=term, actor=request.user)
    messages.success(request, f"{term.term} removed from the glossary.")
    return redirect("agencychecks:glossary")
