from django.apps import AppConfig


class TitulairesConfig(AppConfig):
    name = "titulaires"
    verbose_name = "Titulaires et éligibilité"
