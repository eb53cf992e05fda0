from commun.commandes import Commande
from demo.chargement import MOT_DE_PASSE_DEMO, charger_demo, demo_deja_chargee


class Command(Commande):
    help = "Charge les données de démonstration (93 et 69) et crée les comptes de démonstration."

    def handle(self, *args, **options):
        if demo_deja_chargee():
            self.stdout.write("Données de démonstration déjà présentes : rien à faire.")
        else:
            resultat = charger_demo()
            self.stdout.write(self.style.SUCCESS(f"Démonstration chargée : {resultat['postes']} postes."))
        self.stdout.write(
            "\nComptes de démonstration (mot de passe : « %s ») :\n"
            "  agent@demo.gouv.fr   agent de préfecture, Seine-Saint-Denis (93)\n"
            "  employeur@demo.fr    employeur, Association Médiation Plaine Commune (93)\n"
            "  admin@demo.gouv.fr   administrateur national\n"
            "  agent69@demo.gouv.fr agent de préfecture, Rhône (69)\n" % MOT_DE_PASSE_DEMO
        )
