from django.urls import path

from barometer import views
from barometer.pdf import views as pdf_views

app_name = "barometer"
urlpatterns = [
    path("api/campaigns/<slug:slug>/results.json", views.results_json, name="results_json"),
    path("dashboards/", views.dashboards_home, name="dashboards"),
    path("dashboards/teams/<slug:code>/", views.team_latest, name="dashboard_team_latest"),
    path("dashboards/<slug:slug>/", views.overview, name="overview"),
    path(
        "dashboards/<slug:slug>/export.csv",
        views.overview_export,
        {"fmt": "csv"},
        name="overview_csv",
    ),
    path(
        "dashboards/<slug:slug>/export.xlsx",
        views.overview_export,
        {"fmt": "xlsx"},
        name="overview_xlsx",
    ),
    path("dashboards/<slug:slug>/teams/<slug:code>/", views.team, name="dashboard_team"),
    path(
        "dashboards/<slug:slug>/teams/<slug:code>/export.csv",
        views.team_export,
        {"fmt": "csv"},
        name="dashboard_team_csv",
    ),
    path(
        "dashboards/<slug:slug>/teams/<slug:code>/export.xlsx",
        views.team_export,
        {"fmt": "xlsx"},
        name="dashboard_team_xlsx",
    ),
    path(
        "dashboards/<slug:slug>/teams/<slug:code>/report.pdf",
        pdf_views.team_report,
        name="dashboard_team_pdf",
    ),
    path(
        "dashboards/<slug:slug>/report/", pdf_views.organisation_report, name="organisation_report"
    ),
    path(
        "dashboards/<slug:slug>/report/<int:number>.pdf",
        pdf_views.organisation_report_file,
        name="organisation_report_file",
    ),
]
