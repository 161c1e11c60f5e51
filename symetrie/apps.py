from django.apps import AppConfig


class SymetrieConfig(AppConfig):
    name = "symetrie"
    verbose_name = "Symétrie"
