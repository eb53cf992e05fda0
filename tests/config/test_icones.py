"""The page loads only the icons it uses (static/css/icones.css, from the DSFR's utility sheet): an icon
added to a template without regenerating the sheet would show nothing."""

from scripts.icones_utilisees import SORTIE, css, icones_utilisees


def test_la_feuille_des_icones_est_a_jour_des_icones_utilisees():
    assert SORTIE.read_text(encoding="utf-8") == css(), (
        "static/css/icones.css n’est plus à jour : lancez .venv/bin/python scripts/icones_utilisees.py"
    )


def test_chaque_icone_utilisee_a_son_image():
    feuille = SORTIE.read_text(encoding="utf-8")
    assert {"fr-icon-logout-box-r-line", "fr-icon-download-line"} <= icones_utilisees()
    for icone in icones_utilisees():
        assert f".{icone}:before" in feuille and "mask-image:url(../dsfr/dist/icons/" in feuille, icone


def test_une_icone_ajoutee_sans_regenerer_la_feuille_est_signalee(tmp_path, monkeypatch):
    import scripts.icones_utilisees as icones

    gabarit = tmp_path / "templates" / "page.html"
    gabarit.parent.mkdir()
    gabarit.write_text('<a class="fr-btn fr-icon-printer-line">Imprimer</a>', encoding="utf-8")
    monkeypatch.setattr(icones, "RACINE", tmp_path)
    monkeypatch.setattr(icones, "SOURCES", ["templates"])
    assert ".fr-icon-printer-line:before" in icones.css()
    assert ".fr-icon-printer-line" not in SORTIE.read_text(encoding="utf-8")
