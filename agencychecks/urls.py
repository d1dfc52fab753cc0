from django.urls import path

from . import views

app_name = "agencychecks"

urlpatterns = [
    path("", views.index, name="index"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/add/", views.glossary_edit, name="glossary_add"),
    path("glossary/<uuid:term_id>/change/", views.glossary_edit, name="glossary_edit"),
    path("glossary/<uuid:term_id>/remove/", views.glossary_delete, name="glossary_delete"),
    path("cases/<uuid:case_id>/", views.board, name="board"),
    path("cases/<uuid:case_id>/issue/", views.issue, name="issue"),
    path("cases/<uuid:case_id>/distribute/", views.distribute, name="distribute"),
    path("cases/<uuid:case_id>/pack/", views.pack, name="pack"),
    path("cases/<uuid:case_id>/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path("forms/<uuid:form_id>/", views.form_detail, name="form"),
    path("forms/<uuid:form_id>/sections/<slug:key>/", views.section, name="section"),
    path("forms/<uuid:form_id>/check/", views.check, name="check"),
    path("forms/<uuid:form_id>/return/", views.return_form, name="return"),
    path("forms/<uuid:form_id>/accept/", views.accept_form, name="accept"),
    path("forms/<uuid:form_id>/versions/", views.versions, name="versions"),
]
