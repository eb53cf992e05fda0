"""Import engine: reads every line, checks it against the database in a few bulk queries, then writes
the valid lines with bulk inserts and updates (no query per line).

Two phases, like django-import-export's dry run but without writing anything to undo:
1. `Analyse(table, perimetre).executer()` reads and checks each line, and computes what would change:
   employers (by SIRET), posts (by identifier), yearly funding (by post and year), conventions
   (by number). A line is « créée » when its post is new, « mise à jour » when anything it carries
   differs from the database, « inchangée » otherwise, « rejetée » when it has an error.
2. `Analyse.appliquer()` writes the plan of the valid lines. The caller (importation/services.py)
   decides whether to write at all, inside one transaction.

Rules of the import (also in the README, « Importer des postes »):
- the file is the truth for the columns it carries, and only for those: an ANCT file never touches
  missions, hours or QPV; an empty « Quartiers » cell in our own format removes the post's QPV;
- the département of a line is its `Département` / `insee_dep` column; when the cell is empty it is
  read from the post identifier (`00112R000103` → 01, `02A…` → 2A, `971…` → 971, `59L…` → 59), only
  to create a new post, and the line gets a warning;
- when several years of the same post are imported, the most recent year decides the post's
  département and employer (a post created in one département can be funded by another); a year
  older than one already recorded only adds its funding;
- a new employer gets the form « À préciser » unless the file says otherwise: the agent must say it
  before its eligibility can be checked (an ANCT line never makes an employer eligible);
- an employer outside the user's scope (followed by another département) is linked to the post but
  its name and form are not modified (a warning says so).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from conventions.models import Convention, fin_maximale_convention
from conventions.regles import STATUTS_DATES_DE_SIGNATURE, StatutConvention, statut_poste
from employeurs.models import Employeur
from employeurs.regles import FormeJuridique, erreur_siret, normaliser_siret
from importation import valeurs as v
from importation.colonnes import Colonnes, reconnaitre
from importation.lecture import Table
from postes.models import DomaineMediation, FinancementAnnuel, Poste
from postes.regles import StatutPoste
from quartiers.models import Departement, QuartierPrioritaire

PAQUET = 2000
# Messages an import keeps to show (page, command's JSON): the first ones; the totals are always
# counted, and the rejected-lines file carries the reasons of every rejected line.
MESSAGES_MAX = 1000
LECTEURS = {
    "identifiant": v.lire_identifiant,
    "heures": v.lire_heures,
    "annee": v.lire_annee,
    "montant": v.lire_montant,
    "convention_debut": v.lire_date,
    "convention_fin": v.lire_date,
    "convention_signature": v.lire_date,
}
# Text columns stored in a bounded database column: (model, field, what the message calls it).
LONGUEURS = {
    "raison_sociale": (Employeur, "raison_sociale", "Raison sociale trop longue"),
    "intitule": (Poste, "intitule", "Intitulé trop long"),
    "code_cv": (FinancementAnnuel, "code_contrat_ville", "Code de contrat de ville trop long"),
    "convention": (Convention, "numero", "Numéro de convention trop long"),
}
CHOIX = {
    "forme_juridique": (FormeJuridique.choices, "Forme juridique inconnue"),
    "statut": (StatutPoste.choices, "Statut de poste inconnu"),
    "convention_statut": (StatutConvention.choices, "Statut de convention inconnu"),
}


def par_paquets(elements, taille=PAQUET):
    elements = list(elements)
    for i in range(0, len(elements), taille):
        yield elements[i : i + taille]


def historiser(modele, pks, type_historique: str, utilisateur, raison: str):
    """Write the django-simple-history rows of rows just bulk-written, copied by the database itself
    (INSERT … SELECT): one statement instead of one Python object per row."""
    if not pks:
        return
    historique = modele.history.model
    suivies = {f.column for f in modele._meta.concrete_fields}
    q = connection.ops.quote_name
    colonnes = ", ".join(q(f.column) for f in historique._meta.concrete_fields if f.column in suivies)
    sql = (
        f"INSERT INTO {q(historique._meta.db_table)} ({colonnes}, history_date, history_change_reason, history_type, history_user_id) "
        f"SELECT {colonnes}, %s, %s, %s, %s FROM {q(modele._meta.db_table)} WHERE id = ANY(%s)"
    )
    maintenant = timezone.now()
    with connection.cursor() as curseur:
        for paquet in par_paquets(pks, 20000):
            curseur.execute(sql, [maintenant, raison, type_historique, getattr(utilisateur, "pk", None), list(paquet)])


@dataclass(frozen=True)
class Probleme:
    ligne: int
    colonne: str
    message: str

    def as_dict(self):
        return {"ligne": self.ligne, "colonne": self.colonne, "message": self.message}


class Perimetre:
    """Where an import may write: the user's départements (through `for_user`), optionally narrowed
    to some départements (`--departement`). Without a user (the command), every département."""

    def __init__(self, utilisateur=None, departements=None):
        self.utilisateur = utilisateur
        self.restriction = {v.normaliser_departement(c) for c in departements} if departements else None

    def codes(self) -> set[str] | None:
        """Département codes allowed, or None for all."""
        codes = None
        if self.utilisateur is not None and not self.utilisateur.est_admin_national:
            codes = set(Departement.objects.for_user(self.utilisateur).values_list("code", flat=True))
        if self.restriction is not None:
            codes = set(self.restriction) if codes is None else codes & self.restriction
        return codes

    def postes(self):
        qs = Poste.objects.all() if self.utilisateur is None else Poste.objects.for_user(self.utilisateur)
        if self.restriction is not None:
            qs = qs.filter(departement__code__in=self.restriction)
        return qs

    def employeurs(self):
        qs = Employeur.objects.all() if self.utilisateur is None else Employeur.objects.for_user(self.utilisateur)
        if self.restriction is not None:
            qs = qs.filter(Q(departement__code__in=self.restriction) | Q(postes__departement__code__in=self.restriction))
        return qs


@dataclass
class Ligne:
    numero: int
    cellules: list
    valeurs: dict = field(default_factory=dict)
    erreurs: list = field(default_factory=list)
    champs_en_erreur: set = field(default_factory=set)
    departement_deduit: bool = False
    change: bool = False
    cree: bool = False

    @property
    def rejetee(self):
        return bool(self.erreurs)

    @property
    def identifiant(self):
        return self.valeurs.get("identifiant")

    @property
    def annee(self):
        return self.valeurs.get("annee")

    @property
    def rang(self):
        """Which line of a post decides its fields: lines without a year (our own format) first,
        then the most recent year."""
        return (1, 0, self.numero) if self.annee is None else (0, self.annee, self.numero)


class Analyse:
    def __init__(self, table: Table, perimetre: Perimetre, *, verrouiller=False, progression=None):
        self.table = table
        self.perimetre = perimetre
        self.verrouiller = verrouiller
        self.progression = progression or (lambda fait, total, etape: None)
        self.colonnes: Colonnes = reconnaitre(table.entetes)
        self.lignes = [Ligne(numero, cellules) for numero, cellules in table.lignes]
        self.avertissements: list[Probleme] = []
        self.aujourd_hui = timezone.localdate()  # the day a post's status is decided from its conventions
        self.avertissements_total = 0
        # plan
        self.employeurs_crees: dict[str, Employeur] = {}
        self.employeurs_modifies: dict[str, Employeur] = {}
        self.champs_employeurs: set[str] = set()
        self.postes_crees: dict[str, Poste] = {}
        self.postes_modifies: dict[str, Poste] = {}
        self.champs_postes: set[str] = set()
        self.m2m: dict[str, dict[str, set]] = {"quartiers": {}, "domaines": {}}  # identifiant → wanted pks
        self.m2m_actuels: dict[str, dict[int, set]] = {"quartiers": {}, "domaines": {}}
        self.financements_crees: list[FinancementAnnuel] = []
        self.financements_modifies: list[FinancementAnnuel] = []
        self.conventions_creees: list[Convention] = []
        self.conventions_modifiees: list[Convention] = []
        self.champs_conventions: set[str] = set()
        for nom in self.colonnes.inconnues:
            self.avertir(1, nom, f"Colonne inconnue ignorée : « {nom} ».")
        for nom in self.colonnes.doublons:
            self.avertir(1, nom, f"Colonne en double ignorée : « {nom} » (seule la première est lue).")

    # -- helpers ---------------------------------------------------------------------------------
    def avertir(self, ligne, colonne, message):
        self.avertissements_total += 1
        if len(self.avertissements) < MESSAGES_MAX:
            self.avertissements.append(Probleme(ligne, colonne, message))

    def erreur(self, ligne: Ligne, champ: str, message: str):
        ligne.erreurs.append(Probleme(ligne.numero, self.colonnes.nom(champ), message))
        ligne.champs_en_erreur.add(champ)

    def cellule(self, ligne: Ligne, champ: str):
        position = self.colonnes.index.get(champ)
        if position is None or position >= len(ligne.cellules):
            return None
        return ligne.cellules[position]

    def a(self, champ):
        return champ in self.colonnes

    def _qs(self, qs):
        return qs.select_for_update(of=("self",)) if self.verrouiller else qs

    # -- phase 1: reading and checking -----------------------------------------------------------
    def executer(self):
        total = len(self.lignes)
        for i, ligne in enumerate(self.lignes, start=1):
            self.lire(ligne)
            if i % 1000 == 0:
                self.progression(i, total, "lecture")
        self.progression(total, total, "lecture")
        self.doublons()
        self.charger_references()
        for i, ligne in enumerate(self.lignes, start=1):
            if not ligne.rejetee:
                self.verifier(ligne)
            if i % 1000 == 0:
                self.progression(i, total, "vérification")
        self.progression(total, total, "vérification")
        self.verifier_employeurs_nouveaux()
        self.planifier()
        return self

    def lire(self, ligne: Ligne):
        """Parse each cell of the line (no database). A cell no column can hold (an object, an overlong
        text) is rejected first, naming its column; the other cells are still read."""
        val = ligne.valeurs
        for champ in self.colonnes.index:
            if message := v.probleme_cellule(self.cellule(ligne, champ)):
                self.erreur(ligne, champ, message)
        lisible = lambda champ: champ not in ligne.champs_en_erreur  # noqa: E731
        for champ, lecteur in LECTEURS.items():
            if not lisible(champ):
                continue
            if self.a(champ) and (brut := self.cellule(ligne, champ)) is not None and v.texte(brut) != "":
                try:
                    val[champ] = lecteur(brut)
                except v.ValeurInvalide as exc:
                    self.erreur(ligne, champ, str(exc))
            elif champ == "identifiant":
                self.erreur(ligne, champ, "L’identifiant du poste est obligatoire.")
        if lisible("siret"):
            siret = normaliser_siret(v.texte(self.cellule(ligne, "siret")))
            if message := erreur_siret(siret):
                self.erreur(ligne, "siret", message + (f" (« {v.extrait(siret)} »)" if siret else ""))
            else:
                val["siret"] = siret
        for champ in ("raison_sociale", "intitule", "missions", "code_cv", "convention"):
            if self.a(champ) and lisible(champ):
                texte = v.texte(self.cellule(ligne, champ))
                try:
                    if champ in LONGUEURS:
                        modele, nom, quoi = LONGUEURS[champ]
                        v.limiter_longueur(texte, modele._meta.get_field(nom).max_length, quoi)
                    if champ == "convention" and texte:
                        v.lire_numero_convention(texte)
                except v.ValeurInvalide as exc:
                    self.erreur(ligne, champ, str(exc))
                else:
                    val[champ] = texte
        if self.a("departement") and lisible("departement"):
            if dep := v.normaliser_departement(self.cellule(ligne, "departement")):
                val["departement"] = dep
        if self.a("region") and lisible("region") and (reg := v.texte(self.cellule(ligne, "region"))):
            val["region"] = reg.zfill(2)
        for champ, (choices, inconnu) in CHOIX.items():
            if self.a(champ) and lisible(champ) and v.texte(brut := self.cellule(ligne, champ)):
                try:
                    val[champ] = v.choix(brut, choices, inconnu)
                except v.ValeurInvalide as exc:
                    self.erreur(ligne, champ, str(exc))
        if self.a("quartiers") and lisible("quartiers"):
            val["quartiers"] = v.separer_codes(self.cellule(ligne, "quartiers"))
        if self.a("domaines") and lisible("domaines"):
            val["domaines"] = v.separer_liste(self.cellule(ligne, "domaines"))
        # Yearly funding: a year and an amount, or neither.
        if ("annee" in val) != ("montant" in val) and not {"annee", "montant"} & ligne.champs_en_erreur:
            manquant = "montant" if "annee" in val else "annee"
            quoi = "le montant" if manquant == "montant" else "l’année"
            self.erreur(ligne, manquant, f"Financement incomplet : indiquez {quoi} versé(e) pour cette ligne.")
        self.lire_convention(ligne)

    def lire_convention(self, ligne: Ligne):
        val = ligne.valeurs
        numero = val.get("convention")
        dates = [c for c in ("convention_debut", "convention_fin", "convention_signature") if c in val]
        if not numero:
            if dates or val.get("convention_statut"):
                self.erreur(ligne, "convention", "Numéro de convention manquant alors que des dates de convention sont données.")
            return
        for champ in ("convention_debut", "convention_fin"):
            if champ not in val and champ not in ligne.champs_en_erreur:
                quoi = "début" if champ == "convention_debut" else "fin"
                self.erreur(ligne, champ, f"Date de {quoi} de la convention {numero} manquante.")
        debut, fin = val.get("convention_debut"), val.get("convention_fin")
        if debut and fin:
            if fin < debut:
                self.erreur(
                    ligne,
                    "convention_fin",
                    f"La convention {numero} finit ({fin:%d/%m/%Y}) avant de commencer ({debut:%d/%m/%Y}).",
                )
            elif fin > fin_maximale_convention(debut):
                self.erreur(
                    ligne,
                    "convention_fin",
                    f"La convention {numero} dépasse trois ans (fin au plus tard le {fin_maximale_convention(debut):%d/%m/%Y}, art. D5134-147).",
                )
        statut = val.get("convention_statut") or (
            StatutConvention.SIGNEE if val.get("convention_signature") else StatutConvention.PROJET
        )
        val["convention_statut"] = statut
        if statut in STATUTS_DATES_DE_SIGNATURE and not val.get("convention_signature"):
            self.erreur(
                ligne,
                "convention_signature",
                f"La convention {numero} est « {StatutConvention(statut).label} » : sa date de signature est obligatoire.",
            )

    def doublons(self):
        """The same post (and year) twice in a file: every occurrence is rejected, since nothing says
        which one is right."""
        occurrences = defaultdict(list)
        conventions = defaultdict(set)
        for ligne in self.lignes:
            if ligne.identifiant:
                occurrences[(ligne.identifiant, ligne.annee)].append(ligne)
                if numero := ligne.valeurs.get("convention"):
                    conventions[numero].add(ligne.identifiant)
        for (identifiant, annee), lignes in occurrences.items():
            if len(lignes) < 2:
                continue
            numeros = ", ".join(str(l.numero) for l in lignes)
            pour = f" pour l’année {annee}" if annee else ""
            for ligne in lignes:
                self.erreur(
                    ligne,
                    "identifiant",
                    f"Poste {identifiant} en double dans le fichier{pour} (lignes {numeros}) : gardez une seule ligne.",
                )
        for ligne in self.lignes:
            numero = ligne.valeurs.get("convention")
            if numero and len(conventions[numero]) > 1:
                self.erreur(ligne, "convention", f"La convention {numero} figure sur plusieurs postes du fichier.")

    def charger_references(self):
        lignes = [l for l in self.lignes if not l.rejetee]
        identifiants = {l.identifiant for l in lignes}
        sirets = {l.valeurs["siret"] for l in lignes}
        self.departements = {d.code: d for d in Departement.objects.select_related("region")}
        self.codes_autorises = self.perimetre.codes()
        codes_qpv = {c for l in lignes for c in l.valeurs.get("quartiers", ())}
        self.qpv = {}
        for paquet in par_paquets(codes_qpv):
            for pk, code, dep in QuartierPrioritaire.objects.filter(code__in=paquet).values_list(
                "pk", "code", "departement__code"
            ):
                self.qpv[code] = (pk, dep)
        self.domaines = {}
        for d in DomaineMediation.objects.all():
            self.domaines[v.cle(d.code)] = d
            self.domaines[v.cle(d.libelle)] = d
        self.postes: dict[str, Poste] = {}
        self.postes_accessibles: set[int] = set()
        for paquet in par_paquets(identifiants):
            qs = Poste.objects.filter(identifiant__in=paquet).select_related("departement")
            for poste in self._qs(qs):
                self.postes[poste.identifiant] = poste
            self.postes_accessibles.update(self.perimetre.postes().filter(identifiant__in=paquet).values_list("pk", flat=True))
        ids_postes = [p.pk for p in self.postes.values()]
        self.financements: dict[tuple[int, int], FinancementAnnuel] = {}
        self.derniere_annee: dict[int, int] = {}
        if self.a("annee"):  # without a year column every line decides: no need for the years on record
            for paquet in par_paquets(ids_postes):
                for f in self._qs(FinancementAnnuel.objects.filter(poste_id__in=paquet)):
                    self.financements[(f.poste_id, f.annee)] = f
        for poste_id, annee in self.financements:
            self.derniere_annee[poste_id] = max(annee, self.derniere_annee.get(poste_id, annee))
        for relation, champ in (("quartiers", "quartierprioritaire_id"), ("domaines", "domainemediation_id")):
            if self.a(relation):
                through = getattr(Poste, relation).through
                actuels = self.m2m_actuels[relation]
                for paquet in par_paquets(ids_postes):
                    for poste_id, cible in through.objects.filter(poste_id__in=paquet).values_list("poste_id", champ):
                        actuels.setdefault(poste_id, set()).add(cible)
        self.employeurs: dict[str, Employeur] = {}
        self.employeurs_modifiables: set[str] = set()
        for paquet in par_paquets(sirets):
            for e in self._qs(Employeur.objects.filter(siret__in=paquet)):
                self.employeurs[e.siret] = e
            self.employeurs_modifiables.update(
                self.perimetre.employeurs().filter(siret__in=paquet).values_list("siret", flat=True).distinct()
            )
        self.conventions_des_postes: dict[int, dict[str, tuple]] = defaultdict(dict)
        for paquet in par_paquets(ids_postes):
            for poste_id, numero, statut, resiliation in Convention.objects.filter(poste_id__in=paquet).values_list(
                "poste_id", "numero", "statut", "date_resiliation"
            ):
                self.conventions_des_postes[poste_id][numero] = (statut, resiliation)
        numeros = {l.valeurs["convention"] for l in lignes if l.valeurs.get("convention")}
        self.conventions: dict[str, Convention] = {}
        for paquet in par_paquets(numeros):
            for c in self._qs(Convention.objects.filter(numero__in=paquet)):
                self.conventions[c.numero] = c

    def verifier(self, ligne: Ligne):
        """Checks that need the database: références, scope."""
        val = ligne.valeurs
        identifiant = ligne.identifiant
        poste = self.postes.get(identifiant)
        code = val.get("departement")
        if not code:
            code = v.departement_de_l_identifiant(identifiant)
            ligne.departement_deduit = True
            val["departement"] = code
            self.avertir(
                ligne.numero,
                self.colonnes.nom("departement") if self.a("departement") else self.colonnes.nom("identifiant"),
                f"Département absent : {code}, lu dans l’identifiant du poste {identifiant}."
                if poste is None
                else f"Département absent : le poste {identifiant} reste dans son département ({poste.departement.code}).",
            )
        departement = self.departements.get(code)
        if departement is None:
            champ = "identifiant" if ligne.departement_deduit else "departement"
            self.erreur(ligne, champ, f"Département inconnu : « {v.extrait(code)} ».")
            return
        val["departement_obj"] = departement
        if (region := val.get("region")) and region != departement.region.code:
            self.avertir(
                ligne.numero,
                self.colonnes.nom("region"),
                f"La région {v.extrait(region)} ne correspond pas au département {code} (région {departement.region.code}) : le département est retenu.",
            )
        if poste is not None and poste.pk not in self.postes_accessibles:
            self.erreur(
                ligne,
                "identifiant",
                f"Le poste {identifiant} existe déjà dans un département hors de votre périmètre ({poste.departement.code}).",
            )
            return
        autorises = self.codes_autorises
        if autorises is not None and code not in autorises and not (poste is not None and ligne.departement_deduit):
            champ = "identifiant" if ligne.departement_deduit else "departement"
            self.erreur(ligne, champ, f"Le département {code} est hors de votre périmètre : ligne non importée.")
        for code_qpv in val.get("quartiers", ()):
            if code_qpv not in self.qpv:
                self.erreur(ligne, "quartiers", f"Code QPV inconnu : « {v.extrait(code_qpv)} ».")
            elif self.qpv[code_qpv][1] != code:
                self.avertir(
                    ligne.numero,
                    self.colonnes.nom("quartiers"),
                    f"Le quartier {code_qpv} n’est pas dans le département {code} du poste.",
                )
        domaines = []
        for nom in val.get("domaines", ()):
            domaine = self.domaines.get(v.cle(nom))
            if domaine is None:
                self.erreur(ligne, "domaines", f"Domaine de médiation inconnu : « {v.extrait(nom)} ».")
            else:
                domaines.append(domaine.pk)
        val["domaines_pk"] = domaines
        numero = val.get("convention")
        if numero and (existante := self.conventions.get(numero)):
            if poste is None or existante.poste_id != poste.pk:
                self.erreur(ligne, "convention", f"La convention {numero} appartient à un autre poste.")
            elif (
                val["convention_statut"] == StatutConvention.RESILIEE
                and existante.statut != StatutConvention.RESILIEE
                or (existante.statut == StatutConvention.RESILIEE and val["convention_statut"] != StatutConvention.RESILIEE)
            ):
                self.erreur(
                    ligne,
                    "convention_statut",
                    f"La résiliation de la convention {numero} se fait dans l’application (motif obligatoire), pas par import.",
                )
        elif numero and val["convention_statut"] == StatutConvention.RESILIEE:
            self.erreur(
                ligne,
                "convention_statut",
                f"La convention {numero} ne peut pas être créée résiliée : importez-la puis résiliez-la dans l’application.",
            )

    def verifier_employeurs_nouveaux(self):
        """A new employer needs a name somewhere in the file."""
        noms = {}
        for ligne in self.lignes:
            if not ligne.rejetee and (nom := ligne.valeurs.get("raison_sociale")):
                noms.setdefault(ligne.valeurs["siret"], nom)
        for ligne in self.lignes:
            siret = ligne.valeurs.get("siret")
            if not ligne.rejetee and siret not in self.employeurs and siret not in noms:
                champ = "raison_sociale" if self.a("raison_sociale") else "siret"
                self.erreur(ligne, champ, f"Raison sociale obligatoire pour créer l’employeur {siret}.")

    # -- phase 2: what would change ---------------------------------------------------------------
    def planifier(self):
        valides = [l for l in self.lignes if not l.rejetee]
        self.planifier_employeurs(valides)
        par_poste = defaultdict(list)
        for ligne in valides:
            par_poste[ligne.identifiant].append(ligne)
        for identifiant, lignes in par_poste.items():
            decisive = max(lignes, key=lambda l: l.rang)
            self.planifier_poste(identifiant, decisive, lignes)
        for ligne in valides:
            self.planifier_financement(ligne)
            self.planifier_convention(ligne)
        for identifiant, lignes in par_poste.items():
            self.planifier_statut(identifiant, max(lignes, key=lambda l: l.rang), lignes)

    def planifier_statut(self, identifiant, decisive: Ligne, lignes):
        """A post's status follows its conventions (conventions.regles.statut_poste, the rule the
        application applies after every signature, termination and daily update): a post funded in
        the register without a convention is « En attente de convention », like on the dashboard.
        A « Statut » cell that says otherwise is not taken, and the line is signalled."""
        poste = self.postes.get(identifiant) or self.postes_crees[identifiant]
        conventions = dict(self.conventions_des_postes.get(poste.pk, {})) if poste.pk else {}
        for ligne in lignes:
            numero = ligne.valeurs.get("convention")
            if numero:
                existante = self.conventions.get(numero)
                conventions[numero] = (ligne.valeurs["convention_statut"], existante.date_resiliation if existante else None)
        attendu = statut_poste(list(conventions.values()), self.aujourd_hui)
        if poste.pk is None:
            poste.statut = attendu
        elif poste.statut != attendu:
            poste.statut = attendu
            self.champs_postes.add("statut")
            self.postes_modifies[identifiant] = poste
            decisive.change = True
        for ligne in lignes:
            lu = ligne.valeurs.get("statut")
            if lu and lu != attendu:
                self.avertir(
                    ligne.numero,
                    self.colonnes.nom("statut"),
                    f"Le statut d’un poste suit ses conventions : « {StatutPoste(lu).label} » lu dans le fichier, "
                    f"« {StatutPoste(attendu).label} » retenu.",
                )

    def decide(self, ligne: Ligne) -> bool:
        """Does this line carry the post's current state? Not when it is a year older than one on record."""
        poste = self.postes.get(ligne.identifiant)
        return ligne.annee is None or poste is None or ligne.annee >= self.derniere_annee.get(poste.pk, 0)

    def planifier_employeurs(self, valides):
        """One plan per SIRET, from its most recent line (lines without a year first, then by year)."""
        par_siret = defaultdict(list)
        for ligne in valides:
            par_siret[ligne.valeurs["siret"]].append(ligne)
        for siret, lignes in par_siret.items():
            ligne = max(lignes, key=lambda l: l.rang)
            val = ligne.valeurs
            nom = val.get("raison_sociale") or next(
                (
                    l.valeurs["raison_sociale"]
                    for l in sorted(lignes, key=lambda l: l.rang, reverse=True)
                    if l.valeurs.get("raison_sociale")
                ),
                "",
            )
            forme = val.get("forme_juridique")
            employeur = self.employeurs.get(siret)
            if employeur is None:
                self.employeurs_crees[siret] = Employeur(
                    siret=siret,
                    raison_sociale=nom,
                    forme_juridique=forme or FormeJuridique.A_PRECISER,
                    departement=val["departement_obj"],
                )
                ligne.change = True
                continue
            if not self.decide(ligne):
                continue
            changes = {}
            if nom and nom != employeur.raison_sociale:
                changes["raison_sociale"] = nom
            if forme and forme != employeur.forme_juridique:
                changes["forme_juridique"] = forme
            if not changes:
                continue
            if siret not in self.employeurs_modifiables:
                self.avertir(
                    ligne.numero,
                    self.colonnes.nom("raison_sociale" if "raison_sociale" in changes else "forme_juridique"),
                    f"L’employeur {siret} est suivi par un autre département : ses informations ne sont pas modifiées.",
                )
                continue
            for champ, valeur in changes.items():
                setattr(employeur, champ, valeur)
                self.champs_employeurs.add(champ)
            self.employeurs_modifies[siret] = employeur
            ligne.change = True

    def employeur(self, siret):
        return self.employeurs.get(siret) or self.employeurs_crees[siret]

    def planifier_poste(self, identifiant, ligne: Ligne, lignes):
        val = ligne.valeurs
        poste = self.postes.get(identifiant)
        employeur = self.employeur(val["siret"])
        if poste is None:
            poste = Poste(
                identifiant=identifiant,
                employeur=employeur,
                departement=val["departement_obj"],
                intitule=val.get("intitule", ""),
                missions=val.get("missions", ""),
                heures_hebdomadaires=val.get("heures", Decimal("35.00")),
                statut=StatutPoste.EN_ATTENTE,  # decided by its conventions (planifier_statut)
            )
            self.postes_crees[identifiant] = poste
            for l in lignes:
                l.cree = True
        else:
            changes = {}
            if self.decide(ligne):
                if employeur.pk is None or employeur.pk != poste.employeur_id:
                    changes["employeur"] = employeur
                if not ligne.departement_deduit and val["departement_obj"].pk != poste.departement_id:
                    changes["departement"] = val["departement_obj"]
                for champ, attribut in (("intitule", "intitule"), ("missions", "missions"), ("heures", "heures_hebdomadaires")):
                    if champ in val and val[champ] != getattr(poste, attribut):
                        changes[attribut] = val[champ]
            if changes:
                for attribut, valeur in changes.items():
                    setattr(poste, attribut, valeur)
                    self.champs_postes.add(attribut)
                self.postes_modifies[identifiant] = poste
                ligne.change = True
        if self.decide(ligne):
            for relation, voulu in (
                ("quartiers", {self.qpv[c][0] for c in val.get("quartiers", ())}),
                ("domaines", set(val.get("domaines_pk", ()))),
            ):
                if self.a(relation) and voulu != self.m2m_actuels[relation].get(poste.pk, set()):
                    self.m2m[relation][identifiant] = voulu
                    ligne.change = True

    def planifier_financement(self, ligne: Ligne):
        val = ligne.valeurs
        if ligne.annee is None:
            return
        poste = self.postes.get(ligne.identifiant) or self.postes_crees[ligne.identifiant]
        existant = self.financements.get((poste.pk, ligne.annee)) if poste.pk else None
        code_cv = val.get("code_cv", "")
        if existant is None:
            self.financements_crees.append(
                FinancementAnnuel(poste=poste, annee=ligne.annee, montant=val["montant"], code_contrat_ville=code_cv)
            )
            ligne.change = True
            return
        change = False
        if existant.montant != val["montant"]:
            existant.montant = val["montant"]
            change = True
        if self.a("code_cv") and existant.code_contrat_ville != code_cv:
            existant.code_contrat_ville = code_cv
            change = True
        if change:
            self.financements_modifies.append(existant)
            ligne.change = True

    def planifier_convention(self, ligne: Ligne):
        val = ligne.valeurs
        numero = val.get("convention")
        if not numero:
            return
        voulu = {
            "date_debut": val["convention_debut"],
            "date_fin": val["convention_fin"],
            "date_signature": val.get("convention_signature"),
            "statut": val["convention_statut"],
        }
        existante = self.conventions.get(numero)
        if existante is None:
            poste = self.postes.get(ligne.identifiant) or self.postes_crees[ligne.identifiant]
            self.conventions_creees.append(
                Convention(poste=poste, numero=numero, heures_hebdomadaires=poste.heures_hebdomadaires, **voulu)
            )
            ligne.change = True
            return
        changes = {k: x for k, x in voulu.items() if getattr(existante, k) != x}
        if changes:
            for k, x in changes.items():
                setattr(existante, k, x)
                self.champs_conventions.add(k)
            self.conventions_modifiees.append(existante)
            ligne.change = True

    # -- results ----------------------------------------------------------------------------------
    def compte(self):
        c = {"lignes": len(self.lignes), "crees": 0, "mis_a_jour": 0, "inchanges": 0, "rejetes": 0}
        for ligne in self.lignes:
            if ligne.rejetee:
                c["rejetes"] += 1
            elif ligne.cree:
                c["crees"] += 1
            elif ligne.change:
                c["mis_a_jour"] += 1
            else:
                c["inchanges"] += 1
        return c

    @property
    def erreurs(self) -> list[Probleme]:
        return [e for ligne in self.lignes for e in ligne.erreurs]

    def premieres_erreurs(self) -> tuple[list[Probleme], int]:
        """The first MESSAGES_MAX errors, and how many there are in all."""
        premieres, total = [], 0
        for ligne in self.lignes:
            total += len(ligne.erreurs)
            if len(premieres) < MESSAGES_MAX:
                premieres.extend(ligne.erreurs[: MESSAGES_MAX - len(premieres)])
        return premieres, total

    def motifs(self) -> dict[int, str]:
        """Line number → the reasons of its rejection, for every rejected line."""
        return {
            ligne.numero: " | ".join(f"{e.colonne} : {e.message}" for e in ligne.erreurs)
            for ligne in self.lignes
            if ligne.erreurs
        }

    def objets(self):
        return {
            "employeurs": {"crees": len(self.employeurs_crees), "mis_a_jour": len(self.employeurs_modifies)},
            "postes": {
                "crees": len(self.postes_crees),
                "mis_a_jour": len(
                    (set(self.postes_modifies) | set(self.m2m["quartiers"]) | set(self.m2m["domaines"])) - set(self.postes_crees)
                ),
            },
            "financements": {"crees": len(self.financements_crees), "mis_a_jour": len(self.financements_modifies)},
            "conventions": {"crees": len(self.conventions_creees), "mis_a_jour": len(self.conventions_modifiees)},
        }

    # -- phase 3: writing -------------------------------------------------------------------------
    def appliquer(self, utilisateur=None):
        """Write the plan with bulk statements. The caller holds the transaction."""
        raison = "Import de postes"
        maintenant = timezone.now()
        if self.employeurs_crees:
            Employeur.objects.bulk_create(list(self.employeurs_crees.values()), batch_size=PAQUET)
        if self.employeurs_modifies:
            for e in self.employeurs_modifies.values():
                e.modifie_le = maintenant
            Employeur.objects.bulk_update(
                list(self.employeurs_modifies.values()), [*self.champs_employeurs, "modifie_le"], batch_size=PAQUET
            )
        if self.postes_crees:
            Poste.objects.bulk_create(list(self.postes_crees.values()), batch_size=PAQUET)
            historiser(Poste, [p.pk for p in self.postes_crees.values()], "+", utilisateur, raison)
        if self.postes_modifies:
            Poste.objects.bulk_update(list(self.postes_modifies.values()), sorted(self.champs_postes), batch_size=PAQUET)
            historiser(Poste, [p.pk for p in self.postes_modifies.values()], "~", utilisateur, raison)
        for relation, champ in (("quartiers", "quartierprioritaire_id"), ("domaines", "domainemediation_id")):
            voulus = self.m2m[relation]
            if not voulus:
                continue
            through = getattr(Poste, relation).through
            a_retirer, a_ajouter = [], []
            for identifiant, cibles in voulus.items():
                poste = self.postes.get(identifiant) or self.postes_crees[identifiant]
                actuels = self.m2m_actuels[relation].get(poste.pk, set())
                a_retirer.extend((poste.pk, c) for c in actuels - cibles)
                a_ajouter.extend(through(poste_id=poste.pk, **{champ: c}) for c in cibles - actuels)
            for paquet in par_paquets(a_retirer):
                condition = Q()
                for poste_id, cible in paquet:
                    condition |= Q(poste_id=poste_id, **{champ: cible})
                through.objects.filter(condition).delete()
            through.objects.bulk_create(a_ajouter, batch_size=PAQUET)
        FinancementAnnuel.objects.bulk_create(self.financements_crees, batch_size=PAQUET)
        if self.financements_modifies:
            FinancementAnnuel.objects.bulk_update(
                self.financements_modifies, ["montant", "code_contrat_ville"], batch_size=PAQUET
            )
        if self.conventions_creees:
            Convention.objects.bulk_create(self.conventions_creees, batch_size=PAQUET)
            historiser(Convention, [c.pk for c in self.conventions_creees], "+", utilisateur, raison)
        if self.conventions_modifiees:
            Convention.objects.bulk_update(self.conventions_modifiees, sorted(self.champs_conventions), batch_size=PAQUET)
            historiser(Convention, [c.pk for c in self.conventions_modifiees], "~", utilisateur, raison)
