"""Two instances of the deployed site (the README's deploy section, DEBUG=false, gunicorn) on one
database and one S3 object storage (moto's server on the loopback, tests/s3_local.py): a file
uploaded through one instance is an object of the private bucket, downloads identical through the
other, and is deleted through it; neither instance writes to its local disk."""

import re

import pytest

from tests.config.test_site_deploye import session_connectee
from tests.deploye import arreter_serveur, autre_instance


@pytest.fixture
def deux_instances_s3(site_deploye, serveur_s3, tmp_path):
    compartiment = serveur_s3.nouveau_compartiment()
    disque_local = tmp_path / "disque-local-inutilise"
    variables = {
        "S3_BUCKET": compartiment,
        "S3_ENDPOINT_URL": serveur_s3.url,
        "S3_REGION": "eu-west-3",
        "S3_ACCESS_KEY_ID": "cle-de-test",
        "S3_SECRET_ACCESS_KEY": "secret-de-test",
        "MEDIA_ROOT": str(disque_local),
    }
    instances = []
    try:
        for nom in ("a", "b"):
            instances.append(autre_instance(site_deploye, tmp_path, f"s3-{nom}", variables))
        yield instances[0], instances[1], compartiment
    finally:
        for instance in instances:
            arreter_serveur(instance)
    assert not disque_local.exists(), "une instance a écrit sur son disque local malgré le stockage S3"


def jeton_csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_piece_deposee_sur_une_instance_telechargee_et_supprimee_sur_l_autre(deux_instances_s3, serveur_s3):
    a, b, compartiment = deux_instances_s3
    session = session_connectee(a, "employeur@demo.fr")
    mes_demandes = session.get(a.url + "/demandes/mes-demandes/", timeout=30).text
    etape = session.post(
        a.url + "/demandes/nouvelle/",
        data={"csrfmiddlewaretoken": jeton_csrf(mes_demandes)},
        headers={"Origin": a.url, "Referer": a.url + "/demandes/mes-demandes/"},
        timeout=30,
    )
    pk = re.search(r"/demandes/(\d+)/modifier/projet/", etape.url).group(1)
    pieces = f"/demandes/{pk}/modifier/pieces/"
    contenu = b"%PDF-1.7\n" + bytes(range(256)) * 4000 + b"\n%%EOF\n"
    depot = session.post(
        a.url + pieces,
        data={"csrfmiddlewaretoken": jeton_csrf(session.get(a.url + pieces, timeout=30).text), "type_piece": "statuts"},
        files={"fichier": ("Statuts signés.pdf", contenu, "application/pdf")},
        headers={"Origin": a.url, "Referer": a.url + pieces},
        allow_redirects=False,
        timeout=30,
    )
    assert depot.status_code == 302, depot.text[-2000:]
    objets = serveur_s3.objets(compartiment)
    assert list(objets.values()) == [contenu] and re.fullmatch(r"demandes/\d{4}/[0-9a-f]{32}\.pdf", next(iter(objets)))

    # On the other instance, its own sign-in (each instance of the README's block draws its own SECRET_KEY).
    session_b = session_connectee(b, "employeur@demo.fr")
    page = session_b.get(b.url + pieces, timeout=30).text
    assert "Statuts signés.pdf" in page
    (lien,) = set(re.findall(r'href="(/[^"]*pieces/\d+/)"', page))
    telechargement = session_b.get(b.url + lien, timeout=30)
    assert telechargement.status_code == 200 and telechargement.content == contenu
    assert telechargement.headers["Content-Disposition"] == 'attachment; filename="Statuts_signes.pdf"'

    piece = re.search(r"pieces/(\d+)/", lien).group(1)
    suppression = session_b.post(
        b.url + pieces,
        data={"csrfmiddlewaretoken": jeton_csrf(page), "supprimer": piece},
        headers={"Origin": b.url, "Referer": b.url + pieces},
        allow_redirects=False,
        timeout=30,
    )
    assert suppression.status_code == 302
    assert serveur_s3.objets(compartiment) == {}
    assert session.get(a.url + lien, timeout=30).status_code == 404
