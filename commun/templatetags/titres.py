"""{{ convention.signataire|dans_une_phrase }} and {{ …|en_debut_de_ligne }} (commun/titres.py)."""

from django import template

from commun.titres import titre_dans_une_phrase, titre_en_debut_de_ligne

register = template.Library()
register.filter("dans_une_phrase", titre_dans_une_phrase)
register.filter("en_debut_de_ligne", titre_en_debut_de_ligne)
