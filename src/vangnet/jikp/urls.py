from django.urls import include, path

app_name = "jikp"

# Each area of the module keeps its own URL file.
urlpatterns = [
    path("", include("vangnet.jikp.urls_lists")),
    path("", include("vangnet.jikp.urls_detail")),
    path("", include("vangnet.jikp.urls_partner")),
]
