from django.urls import path

from . import views_partner as views

urlpatterns = [
    path("samenwerkingen/", views.partner_samenwerkingen, name="partner_samenwerkingen"),
    path(
        "samenwerkingen/export/",
        views.partner_samenwerkingen_export,
        name="partner_samenwerkingen_export",
    ),
    path(
        "samenwerkingen/<int:samenwerking_id>/contactpersoon/",
        views.partner_contact,
        name="partner_contact",
    ),
    path(
        "samenwerkingen/<int:samenwerking_id>/afsluiten/",
        views.partner_close,
        name="partner_close",
    ),
    path(
        "algemeen/contactpersonen/<int:municipality_id>/<slug:perspective>/",
        views.general_contacts,
        name="general_contacts",
    ),
    path("documenten/toevoegen/", views.document_add, name="document_add"),
    path(
        "documenten/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "documenten/<int:document_id>/verwijderen/",
        views.document_delete,
        name="document_delete",
    ),
]
