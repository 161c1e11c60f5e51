from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from symetrie import views
from symetrie.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("barometer.urls")),
    path("admin/", admin.site.urls),
]
