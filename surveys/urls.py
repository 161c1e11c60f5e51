"""HR screens, mounted under /hr/. Each area's views module lists its own routes."""

from surveys.views import branding, campaign_actions, campaigns, people, questionnaires, teams

app_name = "surveys"
urlpatterns = [
    *teams.urlpatterns,
    *people.urlpatterns,
    *questionnaires.urlpatterns,
    *campaigns.urlpatterns,
    *branding.urlpatterns,
    *campaign_actions.urlpatterns,
]
