"""The four fields (lĩnh vực) every organisation starts with; used by migrations 0002 and
0004 and when an organisation is created (``models_registry.signals``)."""

FIELDS = [
    ("economy", "Kinh tế", "Economy", 1),
    ("culture_society", "Văn hóa – xã hội", "Culture and society", 2),
    ("defence_security", "Quốc phòng – an ninh", "Defence and security", 3),
    ("political_system", "Xây dựng hệ thống chính trị", "Building the political system", 4),
]


def ensure_fields(model=None) -> None:
    """The installation-wide list of migration 0002 (before fields belonged to an
    organisation)."""
    for code, name, name_en, position in FIELDS:
        model.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


def seed_fields(model, organization_id: int) -> None:
    """Give an organisation the four common fields, unless it has fields already."""
    if model.objects.filter(organization_id=organization_id).exists():
        return
    model.objects.bulk_create(
        model(
            organization_id=organization_id,
            code=code,
            name=name,
            name_en=name_en,
            position=position,
        )
        for code, name, name_en, position in FIELDS
    )
