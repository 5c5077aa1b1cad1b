"""The parts that every document of an organisation shares, built once from its data and
the signer's role: who issues it (the header, the place of the date line, the symbol of
the number) and how it is signed.

    issuer = issuer_of(organization)
    OfficialDocument(
        **issuer.header(),
        symbol=issuer.symbol_for(DocumentKind.DECISION),
        signature=leader_signature(organization, signer, on_behalf=False),
        ...,
    )
"""

from dataclasses import dataclass
from datetime import datetime

from danvan.accounts.models import IssuingBody, Organization, Unit, User
from danvan.accounts.rules import signs_for_chairman
from danvan.documents.layout import PARTY, STATE, Signature, SignatureBlock
from danvan.documents.models import DocumentKind

LETTER = DocumentKind.LETTER

CHAIRMAN_TITLE = "CHỦ TỊCH"
VICE_CHAIRMAN_TITLE = "PHÓ CHỦ TỊCH"
SIGNER_SIGNATURE = "Ký số"
BODY_SEAL = "Ký số cơ quan ban hành"


@dataclass(frozen=True)
class Issuer:
    """Who issues a document: the lines of the header's left column (``parent`` in plain
    capitals above the body's own lines in bold), the place named in the date line, and
    the symbol after the kind in the number ("UBND" in "46/KH-UBND")."""

    parent: str
    lines: tuple[str, ...]
    place: str
    symbol: str
    body: str = ""  # in running text: "Ủy ban nhân dân phường Phổ Minh"
    area: str = ""  # the commune in running text: "phường Phổ Minh"
    layout: str = STATE

    def header(self) -> dict:
        """The header fields of an ``OfficialDocument``."""
        return {
            "header_parent": self.parent,
            "header_lines": self.lines,
            "place": self.place,
            "layout": self.layout,
        }

    def symbol_for(self, kind: str) -> str:
        """ "KH-UBND": the kind's symbol, then the issuer's; a Party document "HD/ĐU" (it
        prints "Số 29-HD/ĐU"). A công văn (CV) has no kind in a state symbol (decree 30):
        "MTTQ-BTT" in "Số: 249/MTTQ-BTT"."""
        if self.layout == PARTY:
            return f"{kind}/{self.symbol}"
        if kind == LETTER:
            return self.symbol
        return f"{kind}-{self.symbol}"

    @property
    def collective(self) -> str:
        """The body a "TM." signature signs for: "ỦY BAN NHÂN DÂN"."""
        return self.lines[0] if self.lines else ""


def issuer_of(organization: Organization) -> Issuer:
    """The organisation itself (its People's Committee) as the issuer."""
    return Issuer(
        parent=organization.header_parent,
        lines=tuple(organization.header_lines),
        place=organization.place_name,
        symbol=organization.symbol,
        body=organization.name,
        area=organization.area_name,
    )


def body_issuer(body: IssuingBody) -> Issuer:
    """A body other than the People's Committee (the Party committee, the Front) as the
    issuer, with its own header lines, symbol and layout."""
    organization = body.organization
    return Issuer(
        parent=body.header_parent,
        lines=tuple(body.header_lines),
        place=organization.place_name,
        symbol=body.symbol,
        body=body.name,
        area=organization.area_name,
        layout=body.layout,
    )


def body_signature(body: IssuingBody, name: str, *, deputy: bool) -> SignatureBlock:
    """How a body's leader signs, as the body's data says: the collective line ("T/M BAN
    THƯỜNG VỤ") over the head's title ("BÍ THƯ"), or over the deputy's ("PHÓ BÍ THƯ"); a
    deputy who signs for the head writes "KT. CHỦ TỊCH" instead. Signed on paper: no
    digital signature is printed."""
    if deputy and body.deputy_signs_for_head:
        return SignatureBlock(
            mode_line=f"KT. {body.head_title}", title=body.deputy_title, name=name
        )
    return SignatureBlock(
        mode_line=body.collective_line,
        title=body.deputy_title if deputy else body.head_title,
        name=name,
    )


def unit_symbol(unit: Unit) -> str:
    """The unit's part of a document's symbol ("ĐK-MTTQ"): its short name when that is
    an abbreviation ("MTTQ", "ĐTN"); otherwise the initials of its name, as symbols are
    written ("Thôn Khê Thuận": "TKT"), never a name with spaces."""
    short = unit.short_name.strip()
    if short and " " not in short and len(short) <= 12:
        return short
    # A number is kept whole: "Tổ dân phố số 12" is "TDPS12", not the same as "số 2".
    words = unit.name.split()
    return "".join(
        word if word.isdigit() else word[0] for word in words if word[:1].isalnum()
    ).upper()


def unit_issuer(organization: Organization, unit: Unit) -> Issuer:
    """One of the organisation's units, for the papers a unit sends the organisation (a
    registration form, an achievement report): the organisation above, the unit below."""
    return Issuer(
        parent=organization.short_name.upper(),
        lines=(unit.name.upper(),),
        place=organization.place_name,
        symbol=unit_symbol(unit),
        body=unit.name,
        area=organization.area_name,
    )


def office_issuer(organization: Organization) -> Issuer:
    """The organisation's office (the submission it sends the chairman), named as the
    organisation's data says ("Văn phòng HĐND và UBND")."""
    return Issuer(
        parent=organization.short_name.upper(),
        lines=(organization.office_name.upper(),),
        place=organization.place_name,
        symbol="VP",
        body=organization.office_name,
        area=organization.area_name,
    )


def leader_signature(
    organization: Organization,
    signer: User | None,
    *,
    on_behalf: bool,
    signatures: tuple[Signature, ...] = (),
    deputy: bool | None = None,
) -> SignatureBlock:
    """How the chairman or a vice-chairman signs for the organisation.

    A vice-chairman (who is not also the chairman) signs "KT. CHỦ TỊCH" over "PHÓ CHỦ
    TỊCH". The chairman signs "CHỦ TỊCH"; with ``on_behalf`` (a decision of the committee
    as a collective) "TM. ỦY BAN NHÂN DÂN" stands above it. With no signer yet (a draft),
    the chairman's block with a blank name. ``deputy`` says whether the signer signs for
    the chairman; by default their roles in the organisation say so.
    """
    name = signer.full_name if signer is not None else ""
    if deputy is None:
        deputy = signer is not None and signs_for_chairman.test(signer, organization)
    if deputy:
        return SignatureBlock(
            mode_line=f"KT. {CHAIRMAN_TITLE}",
            title=VICE_CHAIRMAN_TITLE,
            name=name,
            signatures=signatures,
        )
    collective = issuer_of(organization).collective
    return SignatureBlock(
        mode_line=f"TM. {collective.upper()}" if on_behalf and collective else "",
        title=CHAIRMAN_TITLE,
        name=name,
        signatures=signatures,
    )


def digital_signatures(
    *, signer_name: str, body_name: str, signed_at: datetime, sealed_at: datetime | None = None
) -> tuple[Signature, ...]:
    """The signer's digital signature, then the issuing body's (the văn thư applies it)."""
    return (
        Signature(label=SIGNER_SIGNATURE, name=signer_name, signed_at=signed_at),
        Signature(label=BODY_SEAL, name=body_name, signed_at=sealed_at or signed_at, seal=True),
    )
