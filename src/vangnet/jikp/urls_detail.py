"""Action pages behind the JIKP panels of the youth detail page (/jongeren/<id>/)."""

from django.urls import path

from . import views_detail as views

urlpatterns = [
    path(
        "jongeren/<int:youth_id>/contactpersonen/toevoegen/",
        views.contact_add,
        name="detail_contact_add",
    ),
    path(
        "jongeren/<int:youth_id>/contactpersonen/<int:link_id>/verwijderen/",
        views.contact_remove,
        name="detail_contact_remove",
    ),
    path(
        "jongeren/<int:youth_id>/uitstroom/",
        views.perspective_set,
        name="detail_perspective_set",
    ),
    path(
        "jongeren/<int:youth_id>/uitstroom/details/",
        views.perspective_details,
        name="detail_perspective_details",
    ),
    path(
        "jongeren/<int:youth_id>/uitstroom/status/",
        views.perspective_status,
        name="detail_perspective_status",
    ),
    path(
        "jongeren/<int:youth_id>/uitstroom/dossier/",
        views.document_add,
        name="detail_document_add",
    ),
    path(
        "jongeren/<int:youth_id>/uitstroom/dossier/<int:document_id>/",
        views.document_download,
        name="detail_document_download",
    ),
    path(
        "jongeren/<int:youth_id>/samenwerking/",
        views.samenwerking_request,
        name="detail_samenwerking_request",
    ),
    path(
        "jongeren/<int:youth_id>/trajecten/toevoegen/",
        views.traject_add,
        name="detail_traject_add",
    ),
    path(
        "jongeren/<int:youth_id>/trajecten/<int:traject_id>/wijzigen/",
        views.traject_edit,
        name="detail_traject_edit",
    ),
    path(
        "jongeren/<int:youth_id>/trajecten/<int:traject_id>/beeindigen/",
        views.traject_end,
        name="detail_traject_end",
    ),
    path(
        "jongeren/<int:youth_id>/trajecten/<int:traject_id>/verwijderen/",
        views.traject_remove,
        name="detail_traject_remove",
    ),
]
