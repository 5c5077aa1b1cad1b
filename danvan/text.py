"""Text helpers for Vietnamese: normalisation and accent-insensitive matching."""

import unicodedata

# Letters whose base form is not reached by stripping combining marks.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Return the NFC form, the one Vietnamese text is stored and printed in."""
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Lower-case ASCII-ish form for accent-insensitive search: "Đoàn Thể" -> "doan the"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def sort_key(value: str) -> tuple[str, str]:
    """Vietnamese alphabetical order: "Đảng ủy" among the D's, not after "Z"."""
    return (fold(value), value)
