from django.urls import path
from django.utils.translation import gettext_lazy

from . import views_mbo

app_name = "ddd_mbo"
# The side menu entry (core.context_processors).
MENU_LABEL = gettext_lazy("Transfer dossiers")

urlpatterns = [
    path("", views_mbo.dossier_list, name="list"),
    path("<int:dossier_id>/", views_mbo.dossier_detail, name="detail"),
    path("<int:dossier_id>/pdf/", views_mbo.dossier_download, name="pdf"),
]
