from django.urls import path

from barometer import views

app_name = "barometer"
urlpatterns = [
    path("api/campaigns/<slug:slug>/results.json", views.results_json, name="results_json"),
]
