from django.urls import URLPattern

app_name = "student_accounts"

urlpatterns: list[URLPattern] = []
