"""What every form of the service shares: the error summary shown above a form (DSFR alert listing
each error with a link to its field, as the RGAA asks for errors to be identified and reachable)."""


class ResumeErreursMixin:
    """Adds `erreurs_resumees`: (field id or None, field label or None, message) for each error, in
    the order of the fields; errors that belong to no field come first, without a link."""

    def erreurs_resumees(self) -> list[tuple[str | None, str | None, str]]:
        if not self.is_bound or not self.errors:
            return []
        resume = [(None, None, message) for message in self.non_field_errors()]
        for champ in self:
            for message in champ.errors:
                resume.append((champ.id_for_label or champ.auto_id, champ.label, message))
        return resume
