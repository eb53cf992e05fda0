from django.apps import AppConfig


class PostesConfig(AppConfig):
    name = "postes"
    verbose_name = "Postes"
