"""Date arithmetic shared by the rules (pure functions)."""

from datetime import date


def ajouter_annees(jour: date, annees: int) -> date:
    """Same day `annees` later; 29 February becomes 28 February in a common year."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)
