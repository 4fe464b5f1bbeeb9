from django.urls import URLPattern

app_name = "ddd_mbo"

urlpatterns: list[URLPattern] = []
