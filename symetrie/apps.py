from django.apps import AppConfig


class SymetrieConfig(AppConfig):
    name = "symetrie"
    verbose_name = "Symétrie"

    def ready(self):
        from symetrie import checks  # noqa: F401 (registers the checks)
