from django.urls import URLPattern

app_name = "ddd_questionnaire"

urlpatterns: list[URLPattern] = []
