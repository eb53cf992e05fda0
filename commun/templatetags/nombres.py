"""{% load nombres %} {{ imp.total|nombre }} → « 50 000 », {{ n|pluriel }} / {{ n|pluriel:"a,ont" }}
→ the French plural ending, singular for 0 and 1 (commun/nombres.py)."""

from django import template

from commun.nombres import nombre, pluriel

register = template.Library()
register.filter("nombre", nombre)
register.filter("pluriel", pluriel)
