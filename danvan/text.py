"""Text helpers for Vietnamese: normalisation and accent-insensitive matching."""

import re
import unicodedata

# C0 control characters other than tab and line feed (a carriage return counts until
# normalize_newlines has made it a line feed): invisible when typed or pasted, and XML,
# so DOCX and XLSX, cannot hold most of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")

# Letters whose base form is not reached by stripping combining marks.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str) -> str:
    """Return the NFC form, the one Vietnamese text is stored and printed in."""
    return unicodedata.normalize("NFC", value)


def normalize_newlines(value: str) -> str:
    """Line breaks as "\\n": browsers send a text area's lines joined by "\\r\\n"."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def control_characters(value: str) -> list[str]:
    """The control characters of ``value`` that text fields refuse, each once, in order."""
    return list(dict.fromkeys(_CONTROL.findall(value)))


def without_control_characters(value: str) -> str:
    return _CONTROL.sub("", value)


def fold(value: str) -> str:
    """Lower-case ASCII-ish form for accent-insensitive search: "Đoàn Thể" -> "doan the"."""
    decomposed = unicodedata.normalize("NFD", value.translate(_EXTRA_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def text_key(value: str) -> str:
    """The form under which two names are the same name: case and spacing aside, accents
    kept ("Thôn Đông Hòa" and "Thôn Động Hòa" are two villages)."""
    return " ".join(nfc(value).casefold().split())


class NameIndex:
    """Objects by the names they go by, for names typed in a spreadsheet: a name matches
    as written (``text_key``), or, when it is written without or with other accents,
    the one object whose name it matches accent-insensitively (``fold``); never one of
    several ("Thon Dong Hoa" between "Thôn Đông Hòa" and "Thôn Động Hòa")."""

    def __init__(self):
        self._exact: dict[str, object] = {}
        self._folded: dict[str, list] = {}

    def add(self, name: str, obj) -> None:
        self._exact.setdefault(text_key(name), obj)
        alike = self._folded.setdefault(fold(name), [])
        if obj not in alike:
            alike.append(obj)

    def get(self, name: str):
        found = self._exact.get(text_key(name))
        if found is not None:
            return found
        alike = self._folded.get(fold(name), [])
        return alike[0] if len(alike) == 1 else None

    def alike(self, name: str) -> list:
        """The objects ``name`` matches only accent-insensitively, when it names several."""
        if text_key(name) in self._exact:
            return []
        alike = self._folded.get(fold(name), [])
        return alike if len(alike) > 1 else []


def model_phrase_read(name: str) -> str:
    """A model named in a sentence of the reader's language: in Vietnamese as documents
    name it (``model_phrase``); in another, the name in quotes, for the translation to say
    "the model"."""
    from django.utils import translation

    if (translation.get_language() or "vi").startswith("vi"):
        return model_phrase(name)
    return f"“{' '.join(name.split())}”"


def model_phrase(name: str) -> str:
    """How a document names a model: "mô hình “Khu dân cư xanh”" for a model named "Khu
    dân cư xanh"; a name that says "Mô hình" itself, as units often write it ("Mô hình
    “Dân vận khéo” trong cải cách hành chính"), as it is, in the sentence's lower case
    (never "mô hình “Mô hình “…””")."""
    core = " ".join(name.split())
    rest = core[7:].strip()
    # ("Mô hình hóa …", modelling, is not a model's name saying "model".)
    if (
        rest
        and fold(core[:7]) == "mo hinh"
        and core[7:8] in {" ", "“", '"'}
        and fold(rest).split(" ")[0] != "hoa"
    ):
        return f"mô hình {rest}"
    return f"mô hình “{core}”"


def quoted(name: str) -> str:
    """A name as a message quotes it: "“Giấy khen”" for "Giấy khen"; a name that already
    holds its quotation (an award form "Danh hiệu “Lao động tiên tiến”", a model
    "Mô hình “Dân vận khéo” …") as it is, never "“Danh hiệu “…””"."""
    core = " ".join(name.split())
    if "“" in core or "”" in core or '"' in core:
        return core
    return f"“{core}”"


def sort_key(value: str) -> tuple[str, str]:
    """Vietnamese alphabetical order: "Đảng ủy" among the D's, not after "Z"."""
    return (fold(value), value)


def natural_sort_key(value: str) -> tuple:
    """Order for lists of units: numbers inside names compare as numbers ("Tổ dân phố số
    2" before "số 10") and accents are ignored ("Đội" among the D's), ties broken by the
    exact text."""
    parts = re.split(r"(\d+)", fold(value))
    return (tuple(int(part) if index % 2 else part for index, part in enumerate(parts)), value)


def thousands(number: int) -> str:
    """1234000 -> "1.234.000": Vietnamese write a dot between thousands."""
    return f"{number:,}".replace(",", ".")


def vnd(amount: int, unit: str = "đồng") -> str:
    """1234000 -> "1.234.000 đồng" (or with the short unit "đ")."""
    return f"{thousands(amount)} {unit}"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three_digits(number: int, *, full: bool) -> list[str]:
    """Read 0–999; ``full`` reads leading zeros ("không trăm linh năm") as inside a number."""
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens > 1:
            words.append("mốt")
        elif ones == 5 and tens > 0:
            words.append("lăm")
        elif ones == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[ones])
    return words


def number_in_words(number: int) -> str:
    """A whole number read in Vietnamese: 2340000 -> "hai triệu ba trăm bốn mươi nghìn"."""
    if number == 0:
        return "không"
    if number < 0:
        return "âm " + number_in_words(-number)
    groups = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        scale = _GROUPS[index % 3] if index % 3 else ""
        billions = "tỷ" if index and index % 3 == 0 else ""
        if group:
            words += _three_digits(group, full=index < len(groups) - 1)
            if scale:
                words.append(scale)
        if billions and (group or any(groups[index + 1 : index + 3])):
            words.append(billions)
    return " ".join(words)


def vnd_in_words(amount: int) -> str:
    """ "Hai triệu ba trăm bốn mươi nghìn đồng" (capitalised, as written on decisions)."""
    text = number_in_words(amount) + " đồng"
    return text[0].upper() + text[1:]
