"""The app's own URLs, plus the bare view the benchmarks compare it with."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench_bare"),
    path("", include("symetrie.urls")),
]
