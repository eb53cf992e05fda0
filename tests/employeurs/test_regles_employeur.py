from employeurs.regles import FormeJuridique, eligibilite_employeur


def test_association_eligible_l5134_101():
    r = eligibilite_employeur(FormeJuridique.ASSOCIATION)
    assert r.ok and "L5134-101" in r.article


def test_organisme_hlm_eligible():
    assert eligibilite_employeur(FormeJuridique.ORGANISME_HLM).ok


def test_eple_eligible():
    assert eligibilite_employeur(FormeJuridique.EPLE).ok


def test_etat_non_eligible():
    r = eligibilite_employeur(FormeJuridique.ETAT)
    assert not r.ok and "L’État" in r.motif


def test_societe_commerciale_non_eligible():
    assert not eligibilite_employeur(FormeJuridique.SOCIETE_COMMERCIALE).ok


def test_forme_inconnue_non_eligible_avec_message():
    r = eligibilite_employeur("sarl")
    assert not r.ok and "inconnue" in r.motif
