from django.urls import path, register_converter

from . import views


class KindConverter:
    regex = "jongerenlijst|uitstroomperspectieven|uitschrijfdatums|jaar-van-uitstroom|leerlinglijst"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(KindConverter, "importkind")

app_name = "transfers"

urlpatterns = [
    path("", views.index, name="index"),
    path("geschiedenis/", views.history, name="history"),
    path("geschiedenis/export/", views.history_export, name="history_export"),
    path("<importkind:kind>/sjabloon/", views.template_download, name="template"),
    path("<importkind:kind>/uploaden/", views.upload, name="upload"),
    path("import/<int:job_id>/", views.job_detail, name="job"),
    path("import/<int:job_id>/status/", views.job_status, name="job_status"),
    path("import/<int:job_id>/verwerken/", views.job_apply, name="job_apply"),
]
