from django.urls import path

from .views import completing, glossary, issue, lists, pack, review

app_name = "agencychecks"

urlpatterns = [
    path("", lists.index, name="index"),
    path("glossary/", glossary.glossary, name="glossary"),
    path("glossary/add/", glossary.glossary_edit, name="glossary_add"),
    path("glossary/<uuid:term_id>/change/", glossary.glossary_edit, name="glossary_edit"),
    path("glossary/<uuid:term_id>/remove/", glossary.glossary_delete, name="glossary_delete"),
    path("cases/<uuid:case_id>/", lists.board, name="board"),
    path("cases/<uuid:case_id>/issue/", issue.issue, name="issue"),
    path("cases/<uuid:case_id>/distribute/", pack.distribute, name="distribute"),
    path("cases/<uuid:case_id>/pack/", pack.pack, name="pack"),
    path("cases/<uuid:case_id>/pack.pdf", pack.pack_pdf, name="pack_pdf"),
    path("forms/<uuid:form_id>/", completing.form_detail, name="form"),
    path("forms/<uuid:form_id>/sections/<slug:key>/", completing.section, name="section"),
    path("forms/<uuid:form_id>/check/", completing.check, name="check"),
    path("forms/<uuid:form_id>/return/", review.return_form, name="return"),
    path("forms/<uuid:form_id>/accept/", review.accept_form, name="accept"),
    path("forms/<uuid:form_id>/versions/", review.versions, name="versions"),
]
