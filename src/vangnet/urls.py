from django.urls import include, path
from two_factor.urls import urlpatterns as tf_urls

from vangnet.core import views as core_views

handler400 = "vangnet.core.views.error_400"
handler403 = "vangnet.core.views.error_403"
handler404 = "vangnet.core.views.error_404"
handler500 = "vangnet.core.views.error_500"

urlpatterns = [
    # Two-step verification is mandatory, so the library's "switch it off" page is refused.
    path(
        "account/two_factor/disable/",
        core_views.two_factor_disable_refused,
        name="two_factor_disable_refused",
    ),
    path("", include(tf_urls)),
    path("account/", include("vangnet.accounts.urls")),
    path("jongeren/", include("vangnet.youth.urls")),
    path("jikp/", include("vangnet.jikp.urls")),
    path("bestanden/", include("vangnet.transfers.urls")),
    path("organisatie/", include("vangnet.organisations.urls")),
    path("audit/", include("vangnet.audit.urls")),
    # Digitaal Doorstroomdossier: the student portal, the school's screens, the MBO's view and the
    # questionnaire editor of platform beheer.
    path("leerling/", include("vangnet.students.urls")),
    path("leerling/ddd/", include("vangnet.dossiers.urls_student")),
    path("ddd/", include("vangnet.dossiers.urls_staff")),
    path("ddd/accounts/", include("vangnet.students.urls_staff")),
    path("mbo/ddd/", include("vangnet.dossiers.urls_mbo")),
    path("beheer/vragenlijst/", include("vangnet.dossiers.urls_questionnaire")),
    path("", include("vangnet.core.urls")),
]
