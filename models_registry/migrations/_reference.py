"""The four fields (lĩnh vực) every installation starts with; used by migration 0002."""

FIELDS = [
    ("economy", "Kinh tế", "Economy", 1),
    ("culture_society", "Văn hóa – xã hội", "Culture and society", 2),
    ("defence_security", "Quốc phòng – an ninh", "Defence and security", 3),
    ("political_system", "Xây dựng hệ thống chính trị", "Building the political system", 4),
]


def ensure_fields(model=None) -> None:
    if model is None:
        from models_registry.models import Field as model
    for code, name, name_en, position in FIELDS:
        model.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "position": position})
