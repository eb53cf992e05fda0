"""Absurd values in URLs, filters and form buttons answer a page (with the form's error), a 404 or a
redirection, never a 500 (issue 16, fault 8). Every list page gets, for each GET parameter it
accepts (read from its filter set or its form), a series of hostile or careless values."""

import pytest
from django.urls import resolve, reverse

from tests.factories import PieceJointeFactory, QuartierFactory

pytestmark = pytest.mark.django_db

VALEURS_ABSURDES = [
    "abc",
    "-1",
    "99999999999999999999",
    "1e400",
    "NaN",
    "\x00",
    "' OR 1=1 --",
    "9999-99-99",
    "9999-12-31",
    "💥",
    "a" * 3000,
]


def parametres_acceptes(url: str) -> set[str]:
    """The GET parameters a page reads: its filter set's fields (lists), its form's fields, and the
    pagination and export parameters of the lists."""
    vue = resolve(url.split("?")[0]).func
    classe = getattr(vue, "view_class", None)
    noms = set()
    filtres = getattr(classe, "filterset_class", None)
    if filtres is not None:
        noms |= set(filtres.base_filters) | {"page", "format"}
    return noms


def pages_de_liste(monde):
    """(role, url, extra GET parameters read by the view itself) for every list page (the others read
    no GET parameter)."""
    demande = monde.brouillon93
    return [
        ("agent93", reverse("postes:liste"), set()),
        ("agent93", reverse("conventions:liste"), set()),
        ("agent93", reverse("employeurs:liste"), set()),
        ("agent93", reverse("demandes:liste"), set()),
        ("agent93", reverse("pilotage:financements"), set()),
        ("agent93", reverse("pilotage:tableau_de_bord"), {"annee", "region", "departement", "export", "tableau"}),
        ("agent93", reverse("conventions:zip"), {"q", "departement", "employeur", "statut", "fin_avant", "tri"}),
        ("membre93", reverse("demandes:mes_demandes"), set()),
        ("membre93", reverse("demandes:etape", args=[demande.pk, "quartiers"]), {"q"}),
    ]


def test_chaque_liste_et_chaque_parametre_avec_des_valeurs_absurdes_jamais_de_500(client, monde, caplog):
    caplog.set_level("ERROR", logger="django.request")  # hundreds of « Not Found » warnings otherwise
    client.raise_request_exception = False
    essais, pannes = 0, []
    for role, url, autres in pages_de_liste(monde):
        client.force_login(getattr(monde, role))
        parametres = parametres_acceptes(url) | autres
        assert parametres, f"aucun paramètre trouvé pour {url}"
        for parametre in sorted(parametres):
            for valeur in VALEURS_ABSURDES:
                reponse = client.get(url, {parametre: valeur})
                essais += 1
                if reponse.status_code >= 500:
                    pannes.append(f"{role} {url}?{parametre}={valeur[:20]!r} → {reponse.status_code}")
        # every parameter absurd at once, and a parameter given twice
        reponse = client.get(url, {p: ["abc", "\x00"] for p in parametres})
        if reponse.status_code >= 500:
            pannes.append(f"{role} {url} (tous les paramètres) → {reponse.status_code}")
    assert not pannes, "\n".join(pannes)
    assert essais > 400


def vues_de_liste():
    """Every URL of the project drawn by a filtered list view (django-filter's FilterView)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django_filters.views import FilterView

    def parcourir(motifs, prefixe=""):
        for motif in motifs:
            if isinstance(motif, URLResolver):
                yield from parcourir(motif.url_patterns, prefixe + str(motif.pattern))
            elif isinstance(motif, URLPattern):
                classe = getattr(motif.callback, "view_class", None)
                if classe is not None and issubclass(classe, FilterView):
                    yield "/" + prefixe + str(motif.pattern)

    return set(parcourir(get_resolver().url_patterns))


def test_chaque_vue_de_liste_du_projet_est_parcourue(monde):
    parcourues = {url for _, url, _ in pages_de_liste(monde)}
    assert vues_de_liste() <= parcourues, vues_de_liste() - parcourues


def test_filtre_employeur_et_page_non_numeriques_repondent_la_liste_ou_404(client, monde):
    client.force_login(monde.agent93)
    assert client.get(reverse("postes:liste"), {"employeur": "abc"}).status_code == 200
    assert client.get(reverse("postes:liste"), {"page": "abc"}).status_code == 404
    assert client.get(reverse("postes:liste"), {"departement": "abc"}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/employeurs/%00/",
        "/employeurs/123%00456/inviter/",
        "/postes/abc%00/",
        "/postes/%00/embauche/",
        "/postes/%1F/",
        "/conventions/abc/",
        "/conventions/99999999999999999999/",
        "/titulaires/-1/",
        "/demandes/abc/",
        "/demandes/pieces/%00/",
    ],
)
def test_identifiant_absurde_dans_l_adresse_repond_404(client, monde, url):
    client.raise_request_exception = False
    for role in ("agent93", "membre93", "admin_national"):
        client.force_login(getattr(monde, role))
        assert client.get(url).status_code == 404, f"{role} {url}"


@pytest.mark.parametrize("valeur", ["abc", "\x00", "1.5", "", "99999999999999999999"])
def test_bouton_de_formulaire_a_identifiant_absurde_repond_404(client, monde, valeur):
    demande = monde.brouillon93
    QuartierFactory(departement=monde.poste93.departement)
    PieceJointeFactory(demande=demande)
    client.raise_request_exception = False
    client.force_login(monde.membre93)
    etape = lambda nom: reverse("demandes:etape", args=[demande.pk, nom])  # noqa: E731
    assert client.post(etape("quartiers"), {"ajouter": valeur}).status_code == 404
    assert client.post(etape("quartiers"), {"retirer": valeur}).status_code == 404
    assert client.post(etape("pieces"), {"supprimer": valeur}).status_code == 404


def test_deblocage_d_une_valeur_absurde_repond_404(client, monde):
    client.raise_request_exception = False
    client.force_login(monde.admin_national)
    reponse = client.post(reverse("comptes:debloquer"), {"genre": "adresse", "valeur": "1.2.3.4\x00"})
    assert reponse.status_code == 404
