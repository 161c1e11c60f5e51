from django.contrib.auth import views as auth_views
from django.urls import include, path

from symetrie.tests.oidc_provider.claims import LogoutView

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("o/logout/", LogoutView.as_view(), name="logout"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
