"""The respondents' addresses, at the site's root: short enough for a QR code."""

from django.urls import path

from surveys.answering import views
from surveys.views.branding import branding_logo

urlpatterns = [
    path("r/<str:token>/", views.personal, name="respond_personal"),
    path("q/<str:token>/", views.public, name="respond_public"),
    path("thanks/", views.thanks, name="respond_thanks"),
    path("privacy/", views.privacy, name="privacy"),
    # The organisation's logo, shown on these pages and in the e-mails.
    path("logo.png", branding_logo, name="branding_logo"),
]
