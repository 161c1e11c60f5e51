from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from symetrie import account_views, sso_views, views

urlpatterns = [
    # First: the respondents' pages are the busiest, and resolve in the fewest steps.
    path("", include("surveys.answering.urls")),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", account_views.login, name="login"),
    path("logout/", sso_views.logout, name="logout"),
    # Single sign-on (404 unless OIDC_ISSUER is set): off to the provider, and back.
    path("login/sso/", sso_views.sso_start, name="sso_start"),
    path("login/sso/callback/", sso_views.sso_callback, name="sso_callback"),
    # Second login step, and two-step verification of one's own account.
    path("login/code/", account_views.login_code, name="login_code"),
    path("account/two-step/", account_views.two_factor, name="two_factor"),
    path("account/two-step/off/", account_views.two_factor_disable, name="two_factor_disable"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hr/audit/", include("audit.urls")),
    path("hr/", include("surveys.urls")),
    path("", include("barometer.urls")),
    # The link e-mailed to a new manager account: choose a password, then log in.
    path(
        "password/set/",
        include(
            [
                path(
                    "<uidb64>/<token>/",
                    auth_views.PasswordResetConfirmView.as_view(
                        template_name="registration/password_set_confirm.html",
                        success_url=reverse_lazy("password_set_complete"),
                    ),
                    name="password_set_confirm",
                ),
                path(
                    "done/",
                    auth_views.PasswordResetCompleteView.as_view(
                        template_name="registration/password_set_complete.html"
                    ),
                    name="password_set_complete",
                ),
            ]
        ),
    ),
    path("admin/", admin.site.urls),
]

# A database outage raised outside a view (a session read by middleware) gets the
# 503 page too; anything else the usual 500 page (symetrie/middleware.py).
handler500 = "symetrie.middleware.server_error"
