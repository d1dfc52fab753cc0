"""Benchmarking: the acting partnership's figures beside the anonymised spread of the other sharing partnerships."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.audit.models import AccessAction
from rapidreview.audit.services import access_log

from ..benchmarking import benchmarks_for

BENCHMARK_READERS = (Role.BUSINESS_UNIT, Role.EXECUTIVE)


@require_GET
@role_required(*BENCHMARK_READERS)
def benchmarking_page(request):
    access_log(request, action=AccessAction.VIEW)
    return render(request, "themes/benchmarking.html", {
        "bench": benchmarks_for(request.partnership),
        "may_change_settings": request.user.has_role(Role.BUSINESS_UNIT)})
