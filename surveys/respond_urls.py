"""The respondents' addresses, at the site's root: short enough for a QR code."""

from django.urls import path

from surveys.views import respond

urlpatterns = [
    path("r/<str:token>/", respond.personal, name="respond_personal"),
    path("q/<str:token>/", respond.public, name="respond_public"),
    path("thanks/", respond.thanks, name="respond_thanks"),
    path("privacy/", respond.privacy, name="privacy"),
]
