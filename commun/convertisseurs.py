"""Path converters of the URLs. `texte`: an identifier typed by people (SIRET, post identifier) —
anything but a slash or a control character. A NUL byte cannot reach PostgreSQL (it refuses it in a
string), so such a URL answers 404 like any unknown identifier instead of a 500."""

from django.urls import register_converter


class TexteConverter:
    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TexteConverter, "texte")
