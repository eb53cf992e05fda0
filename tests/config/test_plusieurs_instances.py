"""The service as a State host runs it (issue 22, section 6): two gunicorn instances of the deployed
site (the README's deploy block: DEBUG=false, collected static files) and one worker, on one
PostgreSQL, with a local S3 server (moto, loopback) and a local SMTP server. The instances share
what a platform gives every container: the same variables, SECRET_KEY included."""

import hashlib
import io
import json
import re
import shlex
import subprocess
import time
import zipfile

import psycopg
import pytest

from commun.noms_fichiers import nom_de_fichier
from commun.verrous import MESSAGE_DEJA_EN_COURS, cle_de_verrou
from conventions.regles import StatutConvention
from tests.config.test_site_deploye import session_connectee
from tests.deploye import RACINE, arreter_serveur, autre_instance
from tests.worker import ServeurSMTP, Worker, attendre

SECRET_PARTAGE = "cle-partagee-par-toutes-les-instances-de-la-plateforme-de-test"


class Plateforme:
    def __init__(self, site, a, b, worker, smtp, serveur_s3, compartiment, variables):
        self.site, self.a, self.b, self.worker, self.smtp = site, a, b, worker, smtp
        self.serveur_s3, self.compartiment, self.variables = serveur_s3, compartiment, variables
        self.url_base = site.environnement["DATABASE_URL"]

    def base(self, autocommit=True):
        return psycopg.connect(self.url_base, autocommit=autocommit)

    def commande(self, instance, *arguments) -> subprocess.Popen:
        """A `manage.py` command started with the instance's variables (the README's, then the platform's)."""
        exports = " ".join(f"{cle}={shlex.quote(valeur)}" for cle, valeur in self.variables.items())
        ligne = f"{instance.prelude}\nexport {exports}\nexec .venv/bin/python manage.py {' '.join(arguments)}"
        return subprocess.Popen(
            ["bash", "-c", ligne],
            cwd=RACINE,
            env=instance.environnement,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture
def plateforme(site_deploye, serveur_s3, tmp_path):
    compartiment = serveur_s3.nouveau_compartiment()
    with ServeurSMTP() as smtp:
        variables = {
            "SECRET_KEY": SECRET_PARTAGE,
            "S3_BUCKET": compartiment,
            "S3_ENDPOINT_URL": serveur_s3.url,
            "S3_REGION": "eu-west-3",
            "S3_ACCESS_KEY_ID": "cle-de-test",
            "S3_SECRET_ACCESS_KEY": "secret-de-test",
            "MEDIA_ROOT": str(tmp_path / "disque-local-inutilise"),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        instances, worker = [], None
        try:
            for nom in ("a", "b"):
                instances.append(autre_instance(site_deploye, tmp_path, f"plateforme-{nom}", variables))
            worker = Worker(
                tmp_path / "worker.log",
                smtp,
                **variables,
                DATABASE_URL=site_deploye.environnement["DATABASE_URL"],
                STATIC_ROOT=site_deploye.environnement["STATIC_ROOT"],
            )
            yield Plateforme(site_deploye, instances[0], instances[1], worker, smtp, serveur_s3, compartiment, variables)
        finally:
            if worker is not None:
                worker.arreter()
            for instance in instances:
                arreter_serveur(instance)


def test_sante_repond_sur_les_deux_instances_avec_le_passage_du_worker(plateforme):
    plateforme.worker.demarrer()

    def sante(instance):
        reponse = instance.get("/sante/", headers={"Host": "10.0.0.7"})
        return reponse.status_code, reponse.headers.get("Cache-Control"), reponse.json()

    for instance in (plateforme.a, plateforme.b):
        attendre(
            lambda: sante(instance)[2]["taches"]["dernier_passage_du_worker"] is not None,
            message=lambda: f"{sante(instance)} / {plateforme.worker.lire_journal()[-2000:]}",
        )
        statut, cache, corps = sante(instance)
        assert statut == 200 and "no-store" in cache
        assert set(corps) == {"statut", "base", "stockage", "taches", "version"}
        assert set(corps["taches"]) == {"en_attente", "plus_ancienne_en_attente_s", "dernier_passage_du_worker"}
        assert corps["statut"] in ("ok", "degrade")


def test_une_session_ouverte_sur_une_instance_vaut_sur_l_autre(plateforme):
    session = session_connectee(plateforme.a, "agent@demo.gouv.fr")
    page = session.get(plateforme.b.url + "/postes/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and "Se déconnecter" in page.text


def test_un_fichier_depose_sur_une_instance_se_telecharge_identique_sur_l_autre(plateforme):
    session = session_connectee(plateforme.a, "employeur@demo.fr")
    a, b = plateforme.a.url, plateforme.b.url

    def jeton(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    mes_demandes = session.get(a + "/demandes/mes-demandes/", timeout=30).text
    etape = session.post(
        a + "/demandes/nouvelle/",
        data={"csrfmiddlewaretoken": jeton(mes_demandes)},
        headers={"Origin": a, "Referer": a + "/demandes/mes-demandes/"},
        timeout=30,
    )
    pieces = "/demandes/{}/modifier/pieces/".format(re.search(r"/demandes/(\d+)/modifier/projet/", etape.url).group(1))
    contenu = b"%PDF-1.7\n" + bytes(range(256)) * 2000 + b"\n%%EOF\n"
    depot = session.post(
        a + pieces,
        data={"csrfmiddlewaretoken": jeton(session.get(a + pieces, timeout=30).text), "type_piece": "statuts"},
        files={"fichier": ("Statuts.pdf", contenu, "application/pdf")},
        headers={"Origin": a, "Referer": a + pieces},
        allow_redirects=False,
        timeout=30,
    )
    assert depot.status_code == 302, depot.text[-2000:]
    assert contenu in plateforme.serveur_s3.objets(plateforme.compartiment).values()
    # The same session (one SECRET_KEY, sessions in the database) on the other instance.
    (lien,) = set(re.findall(r'href="(/[^"]*pieces/\d+/)"', session.get(b + pieces, timeout=30).text))
    telechargement = session.get(b + lien, timeout=30)
    assert telechargement.status_code == 200 and telechargement.content == contenu


def conventions_d_un_employeur_de_l_agent(plateforme, email):
    """(SIRET, [(id, numéro, signée)]) of an employer in the agent's scope with two to six conventions,
    one signed at least and one draft at least (the demo data has several)."""
    with plateforme.base() as base:
        lignes = base.execute(
            "SELECT e.siret, c.id, c.numero, c.statut <> %s FROM conventions_convention c "
            "JOIN postes_poste p ON p.id = c.poste_id JOIN employeurs_employeur e ON e.id = p.employeur_id "
            "WHERE p.departement_id IN (SELECT d.departement_id FROM comptes_utilisateur_departements d "
            "JOIN comptes_utilisateur u ON u.id = d.utilisateur_id WHERE u.email = %s) ORDER BY c.numero",
            [StatutConvention.PROJET, email],
        ).fetchall()
    par_employeur = {}
    for siret, *convention in lignes:
        par_employeur.setdefault(siret, []).append(tuple(convention))
    siret, conventions = min(
        (
            (siret, conventions)
            for siret, conventions in par_employeur.items()
            if 2 <= len(conventions) <= 6 and {signee for *_, signee in conventions} == {True, False}
        ),
        key=lambda choix: len(choix[1]),
    )
    # The filter is a SIRET prefix: no other employer of the scope may start with it.
    assert [autre for autre in par_employeur if autre.startswith(siret)] == [siret]
    return siret, conventions


@pytest.fixture
def pdf_signes_oublies_a_la_fin(plateforme):
    """The PDFs the worker stores belong to this test's bucket: the session's deployed site (its other
    tests read the local disk) gets its conventions back without a stored PDF."""
    with plateforme.base() as base:
        sans_pdf = [identifiant for (identifiant,) in base.execute("SELECT id FROM conventions_convention WHERE pdf = ''")]
    yield
    with plateforme.base() as base:
        base.execute(
            "UPDATE conventions_convention SET pdf = '', pdf_sha256 = '', pdf_genere_le = NULL WHERE id = ANY(%s)", [sans_pdf]
        )


def test_l_archive_zip_demandee_sur_une_instance_repond_vite_et_se_telecharge_sur_l_autre(
    plateforme, pdf_signes_oublies_a_la_fin
):
    email = "agent@demo.gouv.fr"
    a, b = plateforme.a.url, plateforme.b.url
    siret, conventions = conventions_d_un_employeur_de_l_agent(plateforme, email)
    plateforme.worker.demarrer()
    session = session_connectee(plateforme.a, email)
    # One signed PDF is stored in the object storage beforehand (its first download through instance a):
    # the worker reads it from there.
    identifiant, numero, _ = next(convention for convention in conventions if convention[2])
    signe = session.get(f"{a}/conventions/{identifiant}/pdf/", timeout=60)
    assert signe.status_code == 200 and signe.content.startswith(b"%PDF")
    assert signe.content in plateforme.serveur_s3.objets(plateforme.compartiment).values()

    debut = time.monotonic()
    demande = session.get(f"{a}/conventions/pdf.zip", params={"employeur": siret}, allow_redirects=False, timeout=30)
    duree = time.monotonic() - debut
    assert demande.status_code == 302, demande.text[-2000:]
    assert duree < 1.0, f"la demande de l’archive a pris {duree:.2f} s"
    suivi = re.fullmatch(r"/conventions/archives/(\d+)/", demande.headers["Location"])
    assert suivi, demande.headers["Location"]

    def page_de_suivi():
        return session.get(b + suivi.group(0), timeout=30).text

    attendre(
        lambda: "Télécharger l’archive" in page_de_suivi(),
        delai=120,
        message=lambda: f"{page_de_suivi()[-1500:]}\n{plateforme.worker.lire_journal()[-3000:]}",
    )
    (lien,) = set(re.findall(r'href="(/conventions/archives/\d+/[^"]+)"', page_de_suivi()))
    telechargement = session.get(b + lien, timeout=60)
    assert telechargement.status_code == 200 and telechargement.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(telechargement.content))
    assert archive.testzip() is None
    attendus = [nom_de_fichier(f"convention-{n}{'' if s else '-projet'}", ".pdf") for _, n, s in conventions]
    assert archive.namelist() == [*attendus, "empreintes-sha256.txt"]
    empreintes = archive.read("empreintes-sha256.txt").decode()
    assert empreintes == "".join(f"{hashlib.sha256(archive.read(nom)).hexdigest()}  {nom}\n" for nom in attendus)
    assert archive.read(nom_de_fichier(f"convention-{numero}", ".pdf")) == signe.content  # the stored one, as is
    assert telechargement.content in plateforme.serveur_s3.objets(plateforme.compartiment).values()


def test_un_courriel_cause_sur_une_instance_part_une_fois_meme_si_le_worker_est_tue(plateforme):
    adresse = "agent@demo.gouv.fr"
    with plateforme.base() as base:
        (avant,) = base.execute("SELECT coalesce(max(id), 0) FROM commun_courriel").fetchone()
    session = session_connectee(plateforme.a, None)
    page = session.get(plateforme.a.url + "/comptes/mot-de-passe/oubli/", timeout=30).text
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    reponse = session.post(
        plateforme.a.url + "/comptes/mot-de-passe/oubli/",
        data={"csrfmiddlewaretoken": jeton, "email": adresse},
        headers={"Referer": plateforme.a.url + "/comptes/mot-de-passe/oubli/"},
        allow_redirects=False,
        timeout=30,
    )
    assert reponse.status_code == 302, reponse.text[-2000:]
    with plateforme.base() as base:
        (courriel,) = base.execute("SELECT id FROM commun_courriel WHERE id > %s", [avant]).fetchone()

    def statuts():
        with plateforme.base() as base:
            lignes = base.execute(
                "SELECT status FROM procrastinate_jobs WHERE task_name = 'commun.envoyer_courriel' "
                "AND (args->>'courriel_id')::int = %s",
                [courriel],
            ).fetchall()
        return [statut for (statut,) in lignes]

    with plateforme.base(autocommit=False) as verrou:
        # Hold the outbox row: the worker takes the job (« doing ») and waits on the row, mid-job; then it is killed.
        verrou.execute("SELECT 1 FROM commun_courriel WHERE id = %s FOR UPDATE", [courriel])
        premier = plateforme.worker.demarrer()
        attendre(lambda: statuts() == ["doing"], message=lambda: f"{statuts()} {premier.lire_journal()[-2000:]}")
        premier.tuer()
        verrou.rollback()
    assert plateforme.smtp.recus == []
    second = plateforme.worker.demarrer()  # a new worker process (the platform restarts it)
    recus = plateforme.smtp.attendre(1, delai=60)
    assert [destinataires for destinataires, _ in recus] == [[adresse]], second.lire_journal()[-3000:]
    attendre(lambda: statuts() == ["succeeded"], message=lambda: f"{statuts()} {second.lire_journal()[-2000:]}")
    time.sleep(1)  # room for a second message, had there been one
    assert len(plateforme.smtp.recus) == 1


def test_une_commande_quotidienne_lancee_sur_les_deux_instances_ne_travaille_qu_une_fois(plateforme):
    cle = cle_de_verrou("mettre_a_jour_conventions")
    with plateforme.base(autocommit=False) as bloqueur:
        # The conventions table is held: the instance that takes the daily lock first is still working
        # when the other one asks for it.
        bloqueur.execute("LOCK TABLE conventions_convention IN ACCESS EXCLUSIVE MODE")
        premiere = plateforme.commande(plateforme.a, "mettre_a_jour_conventions")

        def verrou_pris():
            # A bigint advisory key shows in pg_locks as (classid, objid) = (high, low 32 bits), objsubid 1.
            haut, bas = (cle >> 32) & 0xFFFFFFFF, cle & 0xFFFFFFFF
            with plateforme.base() as base:
                return base.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                    "AND classid = %s::bigint::oid AND objid = %s::bigint::oid",
                    [haut, bas],
                ).fetchone()[0]

        attendre(verrou_pris, message="la première instance n’a jamais pris le verrou du travail quotidien")
        seconde = plateforme.commande(plateforme.b, "mettre_a_jour_conventions")
        sortie_seconde, _ = seconde.communicate(timeout=120)
        assert seconde.returncode == 0 and MESSAGE_DEJA_EN_COURS in sortie_seconde, sortie_seconde
        bloqueur.rollback()
    sortie_premiere, _ = premiere.communicate(timeout=120)
    assert premiere.returncode == 0 and MESSAGE_DEJA_EN_COURS not in sortie_premiere, sortie_premiere


def test_un_referentiel_qpv_charge_par_une_instance_sert_a_l_autre(plateforme, tmp_path):
    """The QPV index lives in each process: it reloads when the table changes (count and latest
    `modifie_le`, read in the database), so a file loaded through one instance is used by the other."""
    code = "QN09398M"
    carre = [[[2.595, 48.855], [2.605, 48.855], [2.605, 48.865], [2.595, 48.865], [2.595, 48.855]]]
    fichier = tmp_path / "qpv_nouveau.geojson"
    fichier.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code_qp": code, "lib_qp": "Quartier d’essai de la plateforme", "insee_dep": "93"},
                        "geometry": {"type": "Polygon", "coordinates": carre},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    b = plateforme.b.url
    session = session_connectee(plateforme.b, "agent@demo.gouv.fr")

    def verifier_au_point():
        page = session.get(b + "/eligibilite/", timeout=30).text
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        donnees = {
            "csrfmiddlewaretoken": jeton,
            "date_naissance": "1990-05-17",
            "date_contrat": "2024-09-02",
            "situation": "sans_emploi",
            "point": "2.6, 48.86",
        }
        reponse = session.post(
            b + "/eligibilite/", data=donnees, headers={"Origin": b, "Referer": b + "/eligibilite/"}, timeout=30
        )
        assert reponse.status_code == 200, reponse.text[-2000:]
        return reponse.text

    try:
        assert code not in verifier_au_point()  # instance b has built its index without it
        chargement = plateforme.commande(plateforme.a, "charger_qpv", str(fichier))
        sortie, _ = chargement.communicate(timeout=120)
        assert chargement.returncode == 0, sortie
        assert f"({code}, géographie 2024)" in verifier_au_point()
    finally:
        with plateforme.base() as base:
            base.execute("DELETE FROM quartiers_quartierprioritaire WHERE code = %s", [code])
