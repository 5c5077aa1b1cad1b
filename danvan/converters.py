"""Path converters that accept one of a fixed set of words, so a typo is a 404, not a 500."""

import re

from django.urls import register_converter


def register_choices(name: str, values) -> None:
    """Register ``<name:…>`` matching exactly one of ``values``."""

    class Choice:
        regex = "|".join(re.escape(value) for value in values)

        def to_python(self, value):
            return value

        def to_url(self, value):
            return value

    Choice.__name__ = f"{name.title()}Converter"
    register_converter(Choice, name)


# Shared by every app's URLs: <fileformat:fmt> for document downloads.
register_choices("fileformat", ["docx", "pdf"])
