"""The two theme logs (cases by theme, filtered) and recording the themes of one case."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.selectors import partnership_agencies
from rapidreview.audit.services import access_log
from rapidreview.formviews import handle_form
from rapidreview.pagination import paginate

from .. import selectors, services
from ..filters import LogFilter
from ..forms import CaseThemesForm
from ..models import ThemeLog
from .common import THEME_VIEWERS


@require_GET
@role_required(*THEME_VIEWERS)
def theme_log(request, log):
    if log not in ThemeLog.values:
        raise Http404
    partnership = request.partnership
    filterset = LogFilter(request.GET or None, queryset=selectors.log_rows(log, partnership=partnership),
                          themes=selectors.all_themes(partnership=partnership),
                          agencies=partnership_agencies(partnership))
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    cases = selectors.log_cases(user=request.user, log=log, rows=rows)
    form = filterset.form
    page = paginate(request, cases, 30)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "themes/log.html", {"log": ThemeLog(log), "form": form, "page": page,
                                               "query": query.urlencode(), "section": log})


@require_http_methods(["GET", "POST"])
@role_required(*THEME_VIEWERS)
def case_themes_record(request, case_id, log):
    if log not in ThemeLog.values:
        raise Http404
    case = selectors.case_to_record_themes(request.user, case_id)
    current = [row.theme for row in selectors.case_themes(case=case, log=log)]
    form = CaseThemesForm(request.POST or None, themes=selectors.themes_to_record(case=case, current=current),
                          initial={"themes": current})
    if saved := handle_form(request, form,
                            save=lambda data: services.case_log_themes(case=case, themes=list(data["themes"]),
                                                                       log=log, actor=request.user,
                                                                       source=data["source"]),
                            success="Themes saved.", next_url=case.get_absolute_url()):
        return saved
    access_log(request, obj=case, case_id=case.pk)
    return render(request, "form_page.html", {
        "form": form, "title": f"Themes: {ThemeLog(log).label.lower()}", "caption": case.reference,
        "back_url": case.get_absolute_url()})
