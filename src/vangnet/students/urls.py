from django.urls import path

from . import views

app_name = "students"

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout, name="logout"),
    path("activeren/", views.activate, name="activate"),
    path("activeren/verstuurd/", views.activate_sent, name="activate_sent"),
    path("wachtwoord/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("ddd-activeren/", views.ddd_activate, name="ddd_activate"),
]
