from django.urls import path
from django.utils.translation import gettext_lazy

from . import views_questionnaire as views

app_name = "ddd_questionnaire"
# The side menu entry (core.context_processors).
MENU_LABEL = gettext_lazy("DDD questionnaire")

urlpatterns = [
    path("", views.versions, name="versions"),
    path("nieuw/", views.version_new, name="version_new"),
    path("<int:version_id>/", views.version_detail, name="version"),
    path("<int:version_id>/voorbeeld/", views.version_preview, name="preview"),
    path("<int:version_id>/publiceren/", views.version_publish, name="publish"),
    path("<int:version_id>/stap/toevoegen/", views.step_add, name="step_add"),
    path("<int:version_id>/stap/<int:step_id>/", views.step_edit, name="step_edit"),
    path("<int:version_id>/stap/<int:step_id>/verwijderen/", views.step_delete, name="step_delete"),
    path(
        "<int:version_id>/stap/<int:step_id>/vraag/toevoegen/",
        views.question_add,
        name="question_add",
    ),
    path("<int:version_id>/vraag/<int:question_id>/", views.question_edit, name="question_edit"),
    path(
        "<int:version_id>/vraag/<int:question_id>/verwijderen/",
        views.question_delete,
        name="question_delete",
    ),
]
