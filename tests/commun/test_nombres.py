"""Numbers in French (commun/nombres.py): grouped by thousands with a narrow non-breaking space."""

import pytest
from django.template import Context, Template

from commun.nombres import nombre, pluriel


@pytest.mark.parametrize(
    "n,texte", [(0, "0"), (999, "999"), (1000, "1\u202f000"), (50000, "50\u202f000"), (1234567, "1\u202f234\u202f567")]
)
def test_un_nombre_est_groupe_par_milliers_avec_une_espace_fine(n, texte):
    assert nombre(n) == texte


def test_le_filtre_des_gabarits_groupe_comme_la_fonction():
    assert Template("{% load nombres %}{{ n|nombre }} lignes").render(Context({"n": 30000})) == "30\u202f000 lignes"


@pytest.mark.parametrize(
    "n,suffixes,fin",
    [(0, "s", ""), (1, "s", ""), (2, "s", "s"), (1, "x", ""), (3, "x", "x"), (0, "a,ont", "a"), (5, "a,ont", "ont")],
)
def test_le_pluriel_francais_met_0_et_1_au_singulier(n, suffixes, fin):
    assert pluriel(n, suffixes) == fin


def test_le_filtre_du_pluriel_prend_les_suffixes_de_pluralize():
    gabarit = Template('{% load nombres %}{{ n }} ligne{{ n|pluriel }} ne changer{{ n|pluriel:"a,ont" }} rien')
    assert gabarit.render(Context({"n": 0})) == "0 ligne ne changera rien"
    assert gabarit.render(Context({"n": 2})) == "2 lignes ne changeront rien"
