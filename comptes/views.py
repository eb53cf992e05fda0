from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from commun.erreurs import AccesRefuse
from comptes import double_facteur, verrouillage
from comptes.forms import CodeDoubleFacteurForm, ConnexionForm
from comptes.proconnect import proconnect_actif, url_deconnexion_proconnect


def contexte_connexion(request) -> dict:
    return {"proconnect": proconnect_actif(), "next": request.POST.get("next") or request.GET.get("next", "")}


def reponse_blocage(request, original_response=None, credentials=None):
    """The sign-in page again, with the lockout explained in French (HTTP 429)."""
    formulaire = ConnexionForm(
        request, data=None, initial={"username": verrouillage.identifiant_tente(request, credentials) or ""}
    )
    contexte = contexte_connexion(request)
    contexte.update(form=formulaire, blocage=verrouillage.MESSAGE_BLOCAGE.format(minutes=verrouillage.minutes_de_blocage()))
    return render(request, "comptes/connexion.html", contexte, status=settings.AXES_HTTP_RESPONSE_CODE)


class ConnexionView(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect_actif()}


class DeconnexionView(auth_views.LogoutView):
    """Signs out here, then at ProConnect too when the session came from ProConnect."""

    def post(self, request, *args, **kwargs):
        url_proconnect = url_deconnexion_proconnect(request, request.session.get("oidc_id_token", ""))
        reponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(url_proconnect) if url_proconnect else reponse


def connexion_administration(request):
    """The admin's sign-in page. Anonymous people go to the service's one; a signed-in person whom
    the admin sends here is not a national administrator (the admin lets those in): sending them to
    the sign-in page would send them back to the admin, again and again."""
    if request.user.is_authenticated and request.user.is_staff:  # already in: on to the admin
        suite = request.GET.get("next", "")
        return redirect(suite if suite.startswith("/admin/") else "admin:index")
    if request.user.is_authenticated:
        raise AccesRefuse("L’administration nationale est réservée aux administrateurs nationaux.")
    suite = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponseRedirect(reverse("comptes:connexion") + suite)


def reserve_admin_national(vue):
    """Signed-in national administrators only; anyone else signed in gets 404."""

    @login_required
    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if not request.user.est_admin_national:
            raise Http404
        return vue(request, *args, **kwargs)

    return enveloppe


# --- Second factor of national administrators ---------------------------------------------------


CODE_NON_VALABLE = "Ce code n’est pas valable. Saisissez le code affiché maintenant par l’application."


def second_facteur(vue):
    """Pages of the second factor: signed-in national administrators not verified yet; anyone else
    goes on to where they were going."""

    @never_cache
    @login_required
    @wraps(vue)
    def enveloppe(request):
        if not request.user.est_admin_national or request.user.is_verified():
            return redirect(double_facteur.suite_sure(request, request.GET.get("next")))
        formulaire = CodeDoubleFacteurForm(request.POST or None)
        suite = request.POST.get("next") or request.GET.get("next", "")
        return vue(request, formulaire, suite)

    return enveloppe


def valider_second_facteur(request, appareil, suite):
    otp_login(request, appareil)
    return redirect(double_facteur.suite_sure(request, suite))


@second_facteur
def double_facteur_enrolement(request, formulaire, suite):
    if double_facteur.appareils_confirmes(request.user).exists():
        # A device is already enrolled: only a code from it lets the session in (a stolen password
        # must not be enough to enrol a new device).
        return redirect("comptes:double_facteur_verification")
    appareil = double_facteur.appareil_a_enroler(request.user)
    if request.method == "POST" and formulaire.is_valid():
        if attente := double_facteur.message_ralentissement(appareil):
            formulaire.add_error("code", attente)
        elif appareil.verify_token(formulaire.cleaned_data["code"]):
            appareil.confirmed = True
            appareil.save(update_fields=["confirmed"])
            messages.success(request, "Double authentification activée : ce code vous sera demandé à chaque connexion.")
            return valider_second_facteur(request, appareil, suite)
        else:
            formulaire.add_error("code", CODE_NON_VALABLE)
    contexte = {
        "form": formulaire,
        "qr_code": double_facteur.qr_code_svg(appareil),
        "secret": double_facteur.secret_lisible(appareil),
        "next": suite,
    }
    return render(request, "comptes/double_facteur_enrolement.html", contexte)


@second_facteur
def double_facteur_verification(request, formulaire, suite):
    appareils = list(double_facteur.appareils_confirmes(request.user))
    if not appareils:
        return redirect("comptes:double_facteur_enrolement")
    if request.method == "POST" and formulaire.is_valid():
        for appareil in appareils:
            if attente := double_facteur.message_ralentissement(appareil):  # django-otp's growing delay
                formulaire.add_error("code", attente)
                break
            if appareil.verify_token(formulaire.cleaned_data["code"]):
                return valider_second_facteur(request, appareil, suite)
        else:
            formulaire.add_error("code", CODE_NON_VALABLE)
    return render(request, "comptes/double_facteur_verification.html", {"form": formulaire, "next": suite})


# --- Locked accounts and addresses (national administrators) ------------------------------------


@reserve_admin_national
def verrouillages(request):
    contexte = {
        "blocages": verrouillage.blocages_en_cours(),
        "limite_compte": settings.AXES_FAILURE_LIMIT,
        "limite_adresse": settings.CONNEXION_ECHECS_MAX_PAR_ADRESSE,
        "minutes": verrouillage.minutes_de_blocage(),
    }
    return render(request, "comptes/verrouillages.html", contexte)


@require_POST
@reserve_admin_national
def debloquer(request):
    genre, valeur = request.POST.get("genre", ""), request.POST.get("valeur", "")
    if genre not in ("compte", "adresse") or not valeur or "\x00" in valeur:
        raise Http404
    verrouillage.debloquer(genre, valeur)
    libelle = "Le compte" if genre == "compte" else "L’adresse"
    messages.success(request, f"{libelle} {valeur} est débloqué{'e' if genre == 'adresse' else ''}.")
    return redirect("comptes:verrouillages")
