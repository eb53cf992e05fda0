"""Benchmark of the post import (`python bench/import.py [--lignes 50000] [--echantillon-ie N]`).

For ANCT's 2023 register (5,416 rows, ../shared/data/anct/) and for a generated 50,000-row CSV in the
same columns, measures rows per second and peak memory of:
- our import: dry run, real import into an empty database, and the same file again (all unchanged);
- django-import-export's default row-by-row import of the same file (a ModelResource doing the same
  work: employer by SIRET, post by id_poste, yearly funding), dry run and real import;
and prints the ratio; then the import page as a person meets it (the upload request, the worker's
preview, the confirmation request, the worker's write: the job bodies of importation/suivi.py, timed
in the process). Each measurement runs in its own process (peak RSS from getrusage, minus the
RSS before the import) on a throw-away test database of the configured PostgreSQL.
Target: at least 2,000 rows/s for the real import.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
ANCT_2023 = Path(os.environ.get("DONNEES_PARTAGEES", RACINE.parent / "shared" / "data")) / "anct" / "adulte-relais-2023.json"


def rss_mo():
    with open("/proc/self/status") as statut:
        for ligne in statut:
            if ligne.startswith("VmRSS:"):
                return int(ligne.split()[1]) / 1024
    return 0.0


def generer(chemin: Path, lignes: int):
    """A CSV in ANCT's columns (`;`-separated, UTF-8): about two posts per employer, 100 départements."""
    from employeurs.regles import luhn_valide

    hasard = random.Random(2023)
    codes = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "974"]
    nb_employeurs = max(1, lignes // 2)
    sirets = []
    for n in range(nb_employeurs):
        base = f"{300000000 + n * 7:09d}0001"
        sirets.append(next(base + str(k) for k in range(10) if luhn_valide(base + str(k))))
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(["id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg"])
    for n in range(lignes):
        dep = codes[n % len(codes)]
        prefixe = dep.zfill(3) if len(dep) < 3 else dep
        annee = 15 + (n // (len(codes) * 9999)) % 9
        identifiant = f"{prefixe}{annee:02d}R{(n // len(codes)) % 9999 + 1:04d}01"
        e = hasard.randrange(nb_employeurs)
        ecrivain.writerow(
            [identifiant, sirets[e], f"Association de médiation n° {e}", 2023, "22555.73", f"CV{n % 400:03d}", dep, ""]
        )
    chemin.write_text(tampon.getvalue(), encoding="utf-8")


def vider():
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "TRUNCATE postes_financementannuel, conventions_convention, conventions_historicalconvention, "
            "postes_poste_quartiers, postes_poste_domaines, postes_historicalposte, postes_poste, "
            "employeurs_employeur RESTART IDENTITY CASCADE"
        )


def resource_import_export():
    """django-import-export's default import (one row at a time), doing what our import does."""
    from import_export import fields, resources, widgets

    from employeurs.models import Employeur
    from employeurs.regles import FormeJuridique
    from importation.valeurs import departement_de_l_identifiant, lire_montant
    from postes.models import FinancementAnnuel, Poste
    from quartiers.models import Departement

    class PosteResource(resources.ModelResource):
        identifiant = fields.Field(attribute="identifiant", column_name="id_poste")
        employeur = fields.Field(
            attribute="employeur", column_name="code_tiers", widget=widgets.ForeignKeyWidget(Employeur, "siret")
        )
        departement = fields.Field(
            attribute="departement", column_name="insee_dep", widget=widgets.ForeignKeyWidget(Departement, "code")
        )

        class Meta:
            model = Poste
            import_id_fields = ("identifiant",)
            fields = ("identifiant", "employeur", "departement")
            skip_unchanged = True
            report_skipped = True

        def before_import_row(self, row, **kwargs):
            if not row.get("insee_dep"):
                row["insee_dep"] = departement_de_l_identifiant(row["id_poste"])
            Employeur.objects.update_or_create(
                siret=row["code_tiers"],
                defaults={"raison_sociale": row["raison_sociale"]},
                create_defaults={
                    "raison_sociale": row["raison_sociale"],
                    "forme_juridique": FormeJuridique.A_PRECISER,
                    "departement": Departement.objects.get(code=row["insee_dep"]),
                },
            )

        def after_save_instance(self, instance, row, **kwargs):
            if kwargs.get("dry_run") and instance.pk is None:
                return
            FinancementAnnuel.objects.update_or_create(
                poste=instance,
                annee=int(row["annee"]),
                defaults={"montant": lire_montant(row["montant"]), "code_contrat_ville": row.get("code_cv") or ""},
            )

    return PosteResource()


def mesurer(fichier: str, moteur: str, mode: str) -> dict:
    """One measurement, in this (fresh) process."""
    import django

    django.setup()
    contenu = Path(fichier).read_bytes()
    if mode in ("essai", "reel"):
        vider()
    avant = rss_mo()
    debut = time.perf_counter()
    if moteur == "nous":
        from importation.lecture import lire_table
        from importation.moteur import Perimetre
        from importation.services import importer_postes

        rapport = importer_postes(lire_table(contenu, fichier), Perimetre(), dry_run=(mode == "essai"), partiel=True)
        lignes = rapport.lignes
        detail = f"{rapport.crees} créées, {rapport.mis_a_jour} mises à jour, {rapport.inchanges} inchangées, {rapport.rejetes} rejetées"
    else:
        import tablib

        texte = contenu.decode("utf-8-sig")
        if fichier.endswith(".json"):
            donnees = json.loads(texte)
            entetes = ["id_poste", "code_tiers", "raison_sociale", "annee", "montant", "code_cv", "insee_dep", "insee_reg"]
            jeu = tablib.Dataset(*[[o.get(e) for e in entetes] for o in donnees], headers=entetes)
        else:
            jeu = tablib.Dataset().load(texte, format="csv", delimiter=";")
        resultat = resource_import_export().import_data(jeu, dry_run=(mode == "essai"), raise_errors=False, use_transactions=True)
        lignes = len(jeu)
        detail = ", ".join(f"{n} {k}" for k, n in resultat.totals.items() if n)
    duree = time.perf_counter() - debut
    pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "lignes": lignes,
        "duree": duree,
        "debit": lignes / duree,
        "memoire": max(0.0, pic - avant),
        "pic": pic,
        "detail": detail,
    }


def mesurer_la_page(fichier: str) -> dict:
    """The page's four steps for `fichier`, as an agent of every département, on an empty database."""
    import tempfile

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings
    from django.urls import reverse

    from comptes.models import Role, Utilisateur
    from importation import suivi
    from importation.models import ImportPostes
    from quartiers.models import Departement

    vider()
    ImportPostes.objects.all().delete()
    contenu = Path(fichier).read_bytes()
    Utilisateur.objects.filter(email="banc@import.gouv.fr").delete()  # the previous file's measure
    agent = Utilisateur.objects.create_user(email="banc@import.gouv.fr", password="banc-import-2026", role=Role.AGENT)
    agent.departements.set(Departement.objects.all())
    client = Client()
    client.force_login(agent)
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media, ALLOWED_HOSTS=["*"]):
        temps = {}
        debut = time.perf_counter()
        reponse = client.post(reverse("importation:importer"), {"fichier": SimpleUploadedFile(Path(fichier).name, contenu)})
        temps["depot"] = time.perf_counter() - debut
        assert reponse.status_code == 302, reponse.status_code
        imp = ImportPostes.objects.get()
        debut = time.perf_counter()
        suivi.analyser(imp.pk)
        temps["apercu"] = time.perf_counter() - debut
        debut = time.perf_counter()
        page = client.get(reponse.url)
        temps["page"] = time.perf_counter() - debut
        assert page.status_code == 200
        debut = time.perf_counter()
        client.post(reponse.url, {"partiel": "on"})
        temps["confirmation"] = time.perf_counter() - debut
        debut = time.perf_counter()
        suivi.ecrire(imp.pk)
        temps["ecriture"] = time.perf_counter() - debut
        imp.refresh_from_db()
    return {"lignes": imp.total, "statut": imp.statut, "crees": (imp.resultat or {}).get("crees"), **temps}


def lancer(fichier, moteur, mode, base):
    env = {**os.environ, "BENCH_BASE": base}
    sortie = subprocess.run(
        [sys.executable, __file__, "--mesure", fichier, moteur, mode], capture_output=True, text=True, env=env, check=False
    )
    if sortie.returncode:
        sys.stderr.write(sortie.stderr)
        raise SystemExit(f"Mesure {moteur} {mode} échouée")
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=50_000, help="taille du fichier généré (50 000)")
    parser.add_argument(
        "--echantillon-ie",
        type=int,
        default=5_000,
        help="lignes du fichier généré données à django-import-export (environ 60 lignes/s : 50 000 lignes prendraient "
        "un quart d’heure par mesure) ; 0 = le fichier entier",
    )
    parser.add_argument("--sans-comparaison", action="store_true", help="ne mesurer que notre import (rapide)")
    parser.add_argument("--mesure", nargs=3, metavar=("FICHIER", "MOTEUR", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.mesure:
        import django
        from django.conf import settings

        django.setup()
        settings.DATABASES["default"]["NAME"] = os.environ["BENCH_BASE"]
        from django.db import connections

        connections.close_all()
        fichier, moteur, mode = args.mesure
        print(json.dumps(mesurer_la_page(fichier) if moteur == "page" else mesurer(*args.mesure)))
        return

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    # Its own throw-away database, never the one pytest uses (test_…).
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "bench_import_adultes_relais"
    base = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        fichiers = []
        if ANCT_2023.exists():
            fichiers.append(("registre ANCT 2023", str(ANCT_2023), str(ANCT_2023)))
        else:
            print(f"(registre ANCT absent : {ANCT_2023})")
        genere = Path("/tmp") / f"bench-import-{args.lignes}.csv"
        generer(genere, args.lignes)
        echantillon = genere
        if args.echantillon_ie and args.echantillon_ie < args.lignes:
            echantillon = Path("/tmp") / f"bench-import-{args.lignes}-echantillon-{args.echantillon_ie}.csv"
            lignes_csv = genere.read_text(encoding="utf-8").splitlines(keepends=True)
            echantillon.write_text("".join(lignes_csv[: args.echantillon_ie + 1]), encoding="utf-8")
        fichiers.append((f"fichier généré de {args.lignes:,} lignes".replace(",", " "), str(genere), str(echantillon)))
        print(f"Base de test : {base} — {os.cpu_count()} cœurs\n")
        for titre, fichier, fichier_ie in fichiers:
            print(f"== {titre}")
            resultats = {}
            for moteur, mode, libelle in [
                ("nous", "essai", "notre import, essai à blanc"),
                ("nous", "reel", "notre import, réel (base vide)"),
                ("nous", "encore", "notre import, même fichier à nouveau"),
                ("ie", "essai", "django-import-export, essai à blanc"),
                ("ie", "reel", "django-import-export, réel (base vide)"),
            ]:
                if moteur == "ie" and args.sans_comparaison:
                    continue
                r = lancer(fichier if moteur == "nous" else fichier_ie, moteur, mode, base)
                resultats[(moteur, mode)] = r
                print(
                    f"  {libelle:<40} {r['lignes']:>6} lignes  {r['duree']:7.2f} s  {r['debit']:8.0f} lignes/s  "
                    f"mémoire +{r['memoire']:.0f} Mo (pic {r['pic']:.0f} Mo)  [{r['detail']}]"
                )
            p = lancer(fichier, "page", "reel", base)
            print(
                f"  page « Importer des postes » ({p['lignes']} lignes, {p['crees']} créées, {p['statut']}) : dépôt "
                f"{p['depot'] * 1000:.0f} ms, aperçu par le worker {p['apercu']:.2f} s, page de l’aperçu "
                f"{p['page'] * 1000:.0f} ms, confirmation {p['confirmation'] * 1000:.0f} ms, écriture par le worker "
                f"{p['ecriture']:.2f} s"
            )
            if args.sans_comparaison:
                print(f"  cible 2 000 lignes/s à l’import réel : {resultats[('nous', 'reel')]['debit']:.0f}\n")
                continue
            if fichier_ie != fichier:
                print(
                    f"  (django-import-export mesuré sur les {resultats[('ie', 'reel')]['lignes']} premières lignes du même fichier)"
                )
            for mode, nom in (("essai", "essai à blanc"), ("reel", "import réel")):
                ratio = resultats[("nous", mode)]["debit"] / resultats[("ie", mode)]["debit"]
                print(f"  rapport ({nom}) : {ratio:.1f} fois plus rapide que django-import-export")
            cible = resultats[("nous", "reel")]["debit"]
            print(f"  cible 2 000 lignes/s à l’import réel : {'atteinte' if cible >= 2000 else 'MANQUÉE'} ({cible:.0f})\n")
    finally:
        connection.creation.destroy_test_db(base, verbosity=0)


if __name__ == "__main__":
    main()
