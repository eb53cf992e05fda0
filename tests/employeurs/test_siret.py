from employeurs.regles import erreur_siret, siret_valide


def test_siret_reel_valide():
    assert siret_valide("77554402601284")


def test_siret_avec_espaces_accepte():
    assert siret_valide("775 544 026 01284")


def test_siret_avec_un_chiffre_modifie_refuse():
    assert "clé de contrôle" in erreur_siret("77554402601285")


def test_siret_trop_court_refuse_avec_le_nombre_de_chiffres():
    assert erreur_siret("1234") == "Le SIRET doit comporter 14 chiffres (4 saisis)."


def test_siret_avec_lettres_refuse():
    assert "chiffres" in erreur_siret("7755440260128A")


def test_siret_vide_refuse():
    assert erreur_siret("") == "Le SIRET est obligatoire."


def test_siret_la_poste_somme_multiple_de_5_valide_malgre_luhn():
    # 356 000 000 09xxx: Luhn fails, but the sum of digits is a multiple of 5 (La Poste rule).
    siret = "35600000009075"
    assert sum(int(c) for c in siret) % 5 == 0
    assert siret_valide(siret)


def test_siret_la_poste_somme_non_multiple_de_5_refuse():
    assert not siret_valide("35600000009076")


def test_siege_de_la_poste_valide():
    assert siret_valide("35600000000048")
