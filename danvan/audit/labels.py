"""What an audit event's action code ("user.password_change", "nomination.approved")
says in words, for the back office's audit trail: the object's kind, then the verb."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# The last part of an action code. Workflow moves are named by the status they reach.
VERBS = {
    "create": _("thêm"),
    "update": _("sửa"),
    "delete": _("xóa"),
    "import": _("nhập từ Excel"),
    "activate": _("cho hoạt động lại"),
    "deactivate": _("ngừng hoạt động"),
    "password_change": _("đổi mật khẩu"),
    "password_reset": _("đặt mật khẩu qua e-mail"),
    "update_profile": _("sửa thông tin cá nhân"),
    "otp_enrol": _("thiết lập xác thực hai bước"),
    "otp_backup_codes": _("tạo mã dự phòng mới"),
    "otp_failure": _("nhập sai mã xác thực"),
    "otp_reset": _("xóa xác thực hai bước"),
    "signer_secure": _("hủy mật khẩu cũ khi nhận vai trò ký"),
    "membership": _("đổi vai trò"),
    "send_for_signature": _("trình ký"),
    "issue": _("ký ban hành"),
    "issued": _("ban hành"),
    "clone": _("nhân bản sang năm sau"),
    "registration_form": _("sửa mẫu phiếu đăng ký"),
    "render": _("tạo tệp văn bản"),
    "restored": _("khôi phục tệp"),
    "tampered": _("phát hiện tệp bị thay đổi"),
    "add": _("đính kèm"),
    "comment": _("trao đổi"),
    "report": _("báo cáo tiến độ"),
    "launch": _("triển khai"),
    "level": _("đổi cấp"),
    "continue": _("tiếp tục sang năm sau"),
    "continued": _("được tiếp tục sang năm sau"),
    "late_exception": _("cho đăng ký muộn"),
    "assign": _("phân công chấm"),
    "unassign": _("bỏ phân công chấm"),
    "scope_add": _("thêm mô hình vào đợt"),
    "scope_remove": _("bỏ mô hình khỏi đợt"),
    "remind": _("nhắc chấm điểm"),
    "score": _("chấm điểm"),
    "draft": _("lưu nháp phiếu chấm"),
    "self_assess": _("tự đánh giá"),
    "self_draft": _("lưu nháp tự đánh giá"),
    "meeting": _("ghi cuộc họp Hội đồng"),
    "votes": _("ghi phiếu bầu"),
    "decision": _("ra quyết định"),
    "revoke": _("thu hồi"),
    "correct": _("sửa sai sót"),
    "send": _("gửi lên cấp trên"),
    "outcome": _("ghi kết quả của cấp trên"),
    "start": _("bắt đầu"),
    "submitted": _("gửi"),
    "returned": _("trả lại"),
    "accepted": _("chấp nhận"),
    "rejected": _("không chấp nhận"),
    "recognised": _("công nhận"),
    "not_recognised": _("không công nhận"),
    "replicated": _("nhân rộng"),
    "withdrawn": _("rút"),
    "passed": _("Hội đồng thông qua"),
    "approved": _("phê duyệt"),
    "refused": _("từ chối"),
    "granted": _("đồng ý"),
}


# Codes whose first part is not a model's name.
KINDS = {
    "document": _("văn bản"),
    "plan": _("kế hoạch"),
    "council": _("Hội đồng Thi đua – Khen thưởng"),
    "province": _("cấp tỉnh"),
}


def _kind(name: str) -> str:
    """The object's kind, as its model names it ("người dùng"), else the code's part."""
    if name in KINDS:
        return str(KINDS[name])
    for model in apps.get_models():
        if model._meta.model_name == name.replace("_", ""):
            return str(model._meta.verbose_name)
    return name.replace("_", " ")


def action_label(code: str) -> str:
    """ "Người dùng: đổi mật khẩu" for ``user.password_change``; an unknown verb is shown
    as its code, so nothing is hidden."""
    head, _dot, verb = code.rpartition(".")
    words = str(VERBS.get(verb, verb.replace("_", " ")))
    if not head:
        return words[:1].upper() + words[1:]
    kind = _kind(head.split(".")[-1])
    return f"{kind[:1].upper()}{kind[1:]}: {words}"


def _field_name(model, name: str) -> str:
    """A changed field as its model names it ("điện thoại"), else as recorded."""
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except Exception:  # noqa: BLE001 - a field since removed, or a computed key
        return name


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    return str(value)


def changes_text(changes: dict, model=None) -> str:
    """One line per changed field: "điện thoại: 0905… → 0912…"; a value set at creation
    reads "→ …", one removed "… →"; yes/no as words."""
    lines = []
    for field, values in (changes or {}).items():
        label = _field_name(model, field)
        if isinstance(values, list | tuple) and len(values) == 2:
            before, after = (_value(value) for value in values)
            lines.append(f"{label}: {before} → {after}".replace(":  →", ": →"))
        else:
            lines.append(f"{label}: {_value(values)}")
    return "\n".join(lines)
