from django.urls import include, path
from two_factor.urls import urlpatterns as tf_urls

handler400 = "vangnet.core.views.error_400"
handler403 = "vangnet.core.views.error_403"
handler404 = "vangnet.core.views.error_404"
handler500 = "vangnet.core.views.error_500"

urlpatterns = [
    path("", include(tf_urls)),
    path("account/", include("vangnet.accounts.urls")),
    path("jongeren/", include("vangnet.youth.urls")),
    path("organisatie/", include("vangnet.organisations.urls")),
    path("audit/", include("vangnet.audit.urls")),
    path("", include("vangnet.core.urls")),
]
