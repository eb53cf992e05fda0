from django.apps import AppConfig


class EmployeursConfig(AppConfig):
    name = "employeurs"
    verbose_name = "Employeurs"
