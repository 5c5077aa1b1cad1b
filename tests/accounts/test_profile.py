import pytest
from django.urls import reverse

from danvan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_user_updates_their_own_contact_details_and_the_change_is_audited(login, unit_officer):
    response = login(unit_officer).post(
        reverse("accounts:profile"),
        {
            "full_name": "Trần Văn Hùng",
            "email": "hung@example.vn",
            "phone": "0912 345 678",
            "position_title": "Phó Chủ tịch",
        },
    )
    assert response.status_code == 302
    unit_officer.refresh_from_db()
    assert unit_officer.phone == "0912 345 678"
    event = AuditEvent.objects.get(action="user.update_profile")
    assert event.actor == unit_officer
    assert event.changes["phone"] == ["0255 3812 345", "0912 345 678"]


def test_a_bad_email_is_refused_in_vietnamese_and_what_was_typed_is_kept(login, unit_officer):
    response = login(unit_officer).post(
        reverse("accounts:profile"),
        {
            "full_name": "Tên mới đã gõ",
            "email": "khong-phai-email",
            "phone": "",
            "position_title": "",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nhập một địa chỉ e-mail hợp lệ." in content
    assert 'value="Tên mới đã gõ"' in content
    unit_officer.refresh_from_db()
    assert unit_officer.full_name == "Trần Văn Hùng"
    assert not AuditEvent.objects.exists()
