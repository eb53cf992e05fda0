"""Numbers as the service writes them in French: `50000` → « 50 000 », grouped by a narrow
non-breaking space (U+202F), in pages, messages and e-mails alike; and the French plural, where 0 and
1 take the singular (« 0 ligne rejetée »). In templates: `{{ n|nombre }}`, `{{ n|pluriel }}`
(commun/templatetags/nombres.py)."""

ESPACE_FINE = "\u202f"


def nombre(n: int) -> str:
    """`50000` → `50 000` (narrow non-breaking space)."""
    return f"{n:,}".replace(",", ESPACE_FINE)


def pluriel(n: int, suffixes: str = "s") -> str:
    """The ending after `n`, as Django's `pluralize` takes it (« s », « x », « a,ont ») but French:
    the singular one for 0 and 1."""
    singulier, _, au_pluriel = suffixes.rpartition(",")
    return au_pluriel if abs(n) >= 2 else singulier
