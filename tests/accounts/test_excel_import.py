import zipfile
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from danvan.accounts import services
from danvan.accounts.models import Membership, Unit, User
from danvan.accounts.tables import UNIT_COLUMNS, USER_COLUMNS
from danvan.audit.models import AuditEvent
from danvan.excel import Row, read_table
from tests.factories import MembershipFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db
Role = Membership.Role

UNIT_IMPORT = reverse("admin:accounts_unit_import")
USER_IMPORT = reverse("admin:accounts_user_import")


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="bang.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


UNIT_HEADER = ["Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Đang hoạt động"]


def test_units_import_previews_first_and_saves_only_after_confirmation(login, office_user, org):
    client = login(office_user)
    content = xlsx(
        [
            UNIT_HEADER,
            ["Hội Người cao tuổi phường", "HNCT", "Mặt trận Tổ quốc và đoàn thể", "có"],
            ["Tổ dân phố số 3", "TDP3", "Thôn, tổ dân phố", ""],
        ]
    )
    response = client.post(UNIT_IMPORT, {"step": "preview", "file": upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xem trước" in page
    assert "HNCT" in page
    assert not Unit.objects.filter(organization=org).exists()  # a dry run saves nothing
    token = response.context["token"]
    response = client.post(UNIT_IMPORT, {"step": "confirm", "token": token})
    assert response.status_code == 302
    assert set(Unit.objects.filter(organization=org).values_list("short_name", flat=True)) == {
        "HNCT",
        "TDP3",
    }
    assert AuditEvent.objects.filter(action="unit.create").count() == 2
    assert AuditEvent.objects.filter(action="unit.import").count() == 1


def test_a_malformed_units_file_lists_every_bad_row_and_imports_nothing(login, office_user, org):
    content = xlsx(
        [
            UNIT_HEADER,
            ["Hội Người cao tuổi phường", "HNCT", "Mặt trận Tổ quốc và đoàn thể", "có"],
            ["", "X1", "Khác", ""],
            ["Đơn vị lạ", "X2", "Không có loại này", "có"],
            ["Đơn vị trùng", "HNCT", "Khác", "chắc vậy"],
        ]
    )
    response = login(office_user).post(UNIT_IMPORT, {"step": "preview", "file": upload(content)})
    page = response.content.decode()
    report = response.context["report"]
    assert [number for number, _message in report.errors] == [3, 4, 5]
    assert "thiếu tên đơn vị" in page
    assert "loại đơn vị “Không có loại này” không có" in page
    assert "tên viết tắt trùng với dòng 2" in page
    assert "“Đang hoạt động” phải là “có” hoặc “không”" in page
    assert "chưa có gì được lưu" in page
    assert not response.context["token"]
    assert not Unit.objects.filter(organization=org).exists()


def test_a_file_that_is_not_excel_is_refused_with_a_clear_message(login, office_user):
    response = login(office_user).post(
        UNIT_IMPORT, {"step": "preview", "file": upload(b"name,short\nA,B\n", name="units.csv")}
    )
    assert response.status_code == 200
    assert "Tệp không phải bảng tính Excel (.xlsx) hợp lệ." in response.content.decode()


def test_a_file_missing_a_required_column_names_it(login, office_user):
    content = xlsx([["Tên đơn vị", "Loại đơn vị"], ["A", "Khác"]])
    response = login(office_user).post(UNIT_IMPORT, {"step": "preview", "file": upload(content)})
    assert "Thiếu cột bắt buộc: Tên viết tắt" in response.content.decode()


def test_a_stale_or_forged_confirmation_imports_nothing(login, office_user, org):
    response = login(office_user).post(UNIT_IMPORT, {"step": "confirm", "token": "khong-co"})
    assert response.status_code == 302
    assert not Unit.objects.filter(organization=org).exists()


def test_units_export_then_import_changes_nothing(login, office_user, org, unit, other_unit):
    client = login(office_user)
    response = client.get(reverse("admin:accounts_unit_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_table(BytesIO(response.content), UNIT_COLUMNS)
    assert {row["short_name"] for row in rows} == {"MTTQ", "HPN"}
    report = services.units_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok
    assert sorted(report.unchanged) == ["HPN", "MTTQ"]
    assert report.created == []
    assert report.updated == []


def test_the_units_export_lists_units_in_natural_order(login, office_user, org):
    for name, short in [
        ("Tổ dân phố 10", "TDP10"),
        ("Đoàn Thanh niên phường", "DTN"),
        ("Tổ dân phố 2", "TDP2"),
        ("Chi bộ khu phố 1", "CB1"),
    ]:
        UnitFactory(organization=org, name=name, short_name=short)
    response = login(office_user).get(reverse("admin:accounts_unit_export"))
    rows = read_table(BytesIO(response.content), UNIT_COLUMNS)
    assert [row["short_name"] for row in rows] == ["CB1", "DTN", "TDP2", "TDP10"]


def test_units_import_updates_a_unit_matched_by_short_name(office_user, org, unit):
    rows = read_table(
        BytesIO(
            xlsx([UNIT_HEADER, ["Ủy ban MTTQ Việt Nam phường Phổ Minh", "mttq", "front", "không"]])
        ),
        UNIT_COLUMNS,
    )
    report = services.units_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.updated == ["mttq"]
    unit.refresh_from_db()
    assert unit.name == "Ủy ban MTTQ Việt Nam phường Phổ Minh"
    assert unit.is_active is False


def test_units_import_never_touches_another_organisations_units(office_user, org, other_org):
    foreign = UnitFactory(organization=other_org, short_name="MTTQ", name="MTTQ phường khác")
    rows = read_table(
        BytesIO(xlsx([UNIT_HEADER, ["MTTQ của phường", "MTTQ", "front", ""]])), UNIT_COLUMNS
    )
    report = services.units_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.created == ["MTTQ"]
    foreign.refresh_from_db()
    assert foreign.name == "MTTQ phường khác"


USER_HEADER = [
    "Tên đăng nhập",
    "Họ và tên",
    "E-mail",
    "Điện thoại",
    "Chức vụ",
    "Vai trò",
    "Đơn vị (tên viết tắt)",
]


def test_users_import_creates_people_with_their_roles_and_invites_them(
    login, office_user, org, unit, django_capture_on_commit_callbacks
):
    content = xlsx(
        [
            USER_HEADER,
            [
                "mttq.hung",
                "Trần Văn Hùng",
                "hung@example.vn",
                "0912345678",
                "Phó Chủ tịch MTTQ",
                "Cán bộ đơn vị",
                "MTTQ",
            ],
            [
                "mttq.hung",
                "Trần Văn Hùng",
                "hung@example.vn",
                "0912345678",
                "Phó Chủ tịch MTTQ",
                "Thành viên đoàn kiểm tra",
                "MTTQ",
            ],
            ["xem.an", "Lê Văn An", "", "", "", "viewer", ""],
        ]
    )
    client = login(office_user)
    response = client.post(
        USER_IMPORT, {"step": "preview", "file": upload(content), "send_invitations": "on"}
    )
    assert response.context["report"].ok, response.context["report"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(USER_IMPORT, {"step": "confirm", "token": response.context["token"]})
    assert response.status_code == 302
    hung = User.objects.get(username="mttq.hung")
    assert set(hung.memberships.values_list("role", flat=True)) == {
        Role.UNIT_OFFICER,
        Role.EVALUATOR,
    }
    assert hung.memberships.get(role=Role.UNIT_OFFICER).unit == unit
    assert not hung.has_usable_password()
    assert [m.to for m in mail.outbox] == [["hung@example.vn"]]  # An has no e-mail
    assert "mttq.hung" in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert "Đường dẫn dùng được một lần, trong 24 giờ." in mail.outbox[0].body


def test_users_import_reports_each_bad_row_by_number(office_user, org, unit):
    rows = read_table(
        BytesIO(
            xlsx(
                [
                    USER_HEADER,
                    ["tên có dấu cách", "A", "", "", "", "viewer", ""],
                    ["ok.user", "", "sai-email", "", "", "viewer", ""],
                    ["chu.tich", "Chủ Tịch Mới", "", "", "", "Chủ tịch", ""],
                    ["can.bo", "Cán Bộ", "", "", "", "Cán bộ đơn vị", ""],
                    ["can.bo2", "Cán Bộ", "", "", "", "Cán bộ đơn vị", "KHONGCO"],
                    ["sai.so", "Sai Số", "", "không nhớ", "", "viewer", ""],
                ]
            )
        ),
        USER_COLUMNS,
    )
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    messages = dict(report.errors)
    assert sorted(messages) == [2, 3, 4, 5, 6, 7]
    assert messages[7].startswith("điện thoại “không nhớ”: Số điện thoại chỉ gồm chữ số")
    assert "không hợp lệ" in messages[2]
    assert "thiếu họ và tên" in messages[3]
    assert "e-mail “sai-email” không hợp lệ" in messages[3]
    assert "chỉ quản trị hệ thống mới gán được vai trò Chủ tịch" in messages[4]
    assert "cán bộ đơn vị phải ghi đơn vị" in messages[5]
    assert "không có đơn vị “KHONGCO”" in messages[6]
    assert not report.applied
    assert not User.objects.exclude(pk=office_user.pk).exists()


TAKEN = "Tên đăng nhập này đã có người dùng."


def _import_one(actor, org, username):
    rows = read_table(
        BytesIO(xlsx([USER_HEADER, [username, "Người Mới", "", "", "", "viewer", ""]])),
        USER_COLUMNS,
    )
    return services.users_import(actor=actor, organization=org, rows=rows, dry_run=False)


def test_a_username_of_another_organisation_or_a_superuser_gets_only_the_taken_message(
    login, office_user, org, other_org, superuser
):
    elsewhere = UserFactory(username="trung.ten", full_name="Người Phường Khác")
    MembershipFactory(user=elsewhere, organization=other_org, role=Role.OFFICE)
    nobody = UserFactory(username="khong.to.chuc", full_name="Chưa Có Vai Trò")
    for taken in (elsewhere, superuser, nobody):
        report = _import_one(office_user, org, taken.username)
        assert report.errors == [(2, TAKEN)], taken
        taken.refresh_from_db()
        assert taken.full_name != "Người Mới"
        assert not Membership.objects.filter(user=taken, organization=org).exists()
    # The same words the back office's "add user" form gives a taken username.
    response = login(office_user).post(
        reverse("admin:accounts_user_add"),
        {"username": "trung.ten", "full_name": "Người Mới", "usable_password": "false"},
    )
    assert response.context["adminform"].form.errors["username"] == [TAKEN]


def test_a_username_that_differs_only_in_case_is_taken_too(office_user, org, superuser):
    viewer = member(org, Role.VIEWER, username="hoabinh.mai", full_name="Trần Thị Mai")
    for actor in (office_user, superuser):
        for username in ("HOABINH.MAI", superuser.username.upper(), office_user.username.title()):
            report = _import_one(actor, org, username)
            assert report.errors == [(2, TAKEN)], (actor, username)
    viewer.refresh_from_db()
    assert viewer.full_name == "Trần Thị Mai"
    assert User.objects.count() == 3


def test_two_rows_whose_usernames_differ_only_in_case_are_refused(office_user, org):
    rows = read_table(
        BytesIO(
            xlsx(
                [
                    USER_HEADER,
                    ["an.nguyen", "Nguyễn An", "", "", "", "viewer", ""],
                    ["An.Nguyen", "Nguyễn An", "", "", "", "viewer", ""],
                ]
            )
        ),
        USER_COLUMNS,
    )
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.errors == [(3, TAKEN)]
    assert not User.objects.filter(username__iexact="an.nguyen").exists()


def test_a_role_typed_with_a_plain_hyphen_is_the_role_its_label_names(office_user, org):
    rows = read_table(
        BytesIO(
            xlsx(
                [USER_HEADER, ["lan.vp", "Nguyễn Thị Lan", "", "", "", "Văn phòng - Thống kê", ""]]
            )
        ),
        USER_COLUMNS,
    )
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok, report.errors
    assert Membership.objects.get(user__username="lan.vp").role == Role.OFFICE


def _villages(org):
    dong = UnitFactory(organization=org, name="Thôn Đông Hòa", short_name="TDH")
    dong_alike = UnitFactory(organization=org, name="Thôn Động Hòa", short_name="TDGH")
    return dong, dong_alike


def test_a_person_goes_to_the_unit_named_with_its_accents_not_one_alike(office_user, org):
    dong, dong_alike = _villages(org)
    rows = read_table(
        BytesIO(
            xlsx(
                [
                    USER_HEADER,
                    ["dong.hoa", "Lê Văn Đông", "", "", "", "Cán bộ đơn vị", "Thôn Đông Hòa"],
                    ["dong.hoa2", "Lê Văn Động", "", "", "", "Cán bộ đơn vị", "thôn động  hòa"],
                ]
            )
        ),
        USER_COLUMNS,
    )
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok, report.errors
    assert Membership.objects.get(user__username="dong.hoa").unit == dong
    assert Membership.objects.get(user__username="dong.hoa2").unit == dong_alike


def test_a_unit_written_without_accents_is_found_when_one_matches_refused_when_several(
    office_user, org, unit
):
    _villages(org)
    rows = read_table(
        BytesIO(
            xlsx(
                [
                    USER_HEADER,
                    ["mot.don.vi", "Một Đơn Vị", "", "", "", "Cán bộ đơn vị", unit.name.upper()],
                    ["hai.don.vi", "Hai Đơn Vị", "", "", "", "Cán bộ đơn vị", "Thon Dong Hoa"],
                ]
            )
        ),
        USER_COLUMNS,
    )
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.errors == [
        (
            3,
            "“Thon Dong Hoa” giống nhiều đơn vị khi bỏ dấu (Thôn Đông Hòa – TDH; "
            "Thôn Động Hòa – TDGH); hãy ghi đúng dấu",
        )
    ]
    assert not User.objects.filter(username__in=["mot.don.vi", "hai.don.vi"]).exists()
    folded = read_table(
        BytesIO(
            xlsx(
                [
                    USER_HEADER,
                    ["mot.don.vi", "Một Đơn Vị", "", "", "", "Cán bộ đơn vị", "mat tran to quoc"],
                ]
            )
        ),
        USER_COLUMNS,
    )
    unit.name = "Mặt trận Tổ quốc"
    unit.save()
    report = services.users_import(actor=office_user, organization=org, rows=folded, dry_run=False)
    assert report.ok, report.errors
    assert Membership.objects.get(user__username="mot.don.vi").unit == unit


def test_units_whose_names_differ_only_in_accents_are_two_units(office_user, org):
    _villages(org)
    rows = read_table(
        BytesIO(
            xlsx(
                [
                    UNIT_HEADER,
                    ["Thôn Đông Hòa", "TDH", "Thôn, tổ dân phố", "có"],
                    ["Thôn Động Hòa", "TDGH", "Thôn, tổ dân phố", "có"],
                    ["Thôn Tân Hòa", "TTH", "Thôn, tổ dân phố", "có"],
                    ["Thôn Tân Hóa", "TTHO", "Thôn, tổ dân phố", "có"],
                ]
            )
        ),
        UNIT_COLUMNS,
    )
    report = services.units_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok, report.errors
    assert sorted(report.updated + report.unchanged) == ["TDGH", "TDH"]
    assert report.created == ["TTH", "TTHO"]
    names = set(Unit.objects.filter(organization=org).values_list("name", flat=True))
    assert {"Thôn Tân Hòa", "Thôn Tân Hóa", "Thôn Đông Hòa", "Thôn Động Hòa"} <= names


def test_an_account_of_this_organisation_that_is_also_elsewhere_is_left_to_superusers(
    office_user, org, other_org, superuser
):
    shared = member(org, Role.VIEWER, username="hai.noi", full_name="Làm Hai Nơi")
    MembershipFactory(user=shared, organization=other_org, role=Role.VIEWER)
    report = _import_one(office_user, org, "hai.noi")
    assert report.errors == [
        (
            2,
            "chỉ quản trị hệ thống mới thay đổi được tài khoản “hai.noi” (Chủ tịch, Phó Chủ "
            "tịch hoặc người có vai trò ở tổ chức khác)",
        )
    ]
    shared.refresh_from_db()
    assert shared.full_name == "Làm Hai Nơi"
    report = _import_one(superuser, org, "hai.noi")
    assert report.ok, report.errors
    shared.refresh_from_db()
    assert shared.full_name == "Người Mới"


def test_users_export_then_import_changes_nothing(login, office_user, org, unit_officer):
    response = login(office_user).get(reverse("admin:accounts_user_export"))
    rows = read_table(BytesIO(response.content), USER_COLUMNS)
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.active["A1"].value == "Tên đăng nhập"
    assert {row["username"] for row in rows} == {office_user.username, unit_officer.username}
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.ok, report.errors
    assert sorted(report.unchanged) == sorted([office_user.username, unit_officer.username])


def test_units_of_other_roles_cannot_open_the_import(login, unit_officer, chairman):
    assert login(unit_officer).get(UNIT_IMPORT).status_code == 403
    assert login(chairman).get(UNIT_IMPORT).status_code == 403  # may look, not import


def test_the_people_export_writes_a_formula_in_a_name_as_text_and_survives_a_bell(
    login, office_user, org
):
    named = member(
        org,
        Role.VIEWER,
        username="ten.cong.thuc",
        full_name='=HYPERLINK("https://example.com/x","Bấm vào")',
        position_title="Chuyên viên\x07",
    )
    response = login(office_user).get(reverse("admin:accounts_user_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == named.username)
    assert (row[1].value, row[1].data_type, row[1].quotePrefix) == (named.full_name, "s", True)
    assert row[4].value == "Chuyên viên\ufffd"


def test_the_units_export_survives_control_characters(login, office_user, org):
    UnitFactory(organization=org, name="Tổ\x0b dân phố 1", short_name="-TDP1")
    response = login(office_user).get(reverse("admin:accounts_unit_export"))
    assert response.status_code == 200
    rows = read_table(BytesIO(response.content), UNIT_COLUMNS)
    assert [(row["name"], row["short_name"]) for row in rows] == [("Tổ\ufffd dân phố 1", "-TDP1")]


def with_sheet(xml: str) -> bytes:
    """The units template with its sheet replaced by ``xml``, as a hostile file is made."""
    source = zipfile.ZipFile(BytesIO(xlsx([UNIT_HEADER])))
    buffer = BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/worksheets/sheet1.xml", xml)
    return buffer.getvalue()


SHEET_START = (
    '<?xml version="1.0"?><worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c t="inlineStr"><is><t>Tên đơn vị</t></is></c>'
    '<c t="inlineStr"><is><t>Tên viết tắt</t></is></c>'
    '<c t="inlineStr"><is><t>Loại đơn vị</t></is></c></row>'
)
UNIT_ROW = (
    '<row><c t="inlineStr"><is><t>{name}</t></is></c><c t="inlineStr"><is><t>X</t></is></c>'
    '<c t="inlineStr"><is><t>Khác</t></is></c></row>'
)
HOSTILE_FILES = {
    "truncated": xlsx([UNIT_HEADER, ["A", "B", "Khác"]])[:3000],
    "broken": with_sheet(SHEET_START + "<row><c><v>1</v></c"),
    "billion laughs": with_sheet(
        SHEET_START.replace(
            "?>",
            '?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {"b" * i} "{f"&{'b' * (i - 1) or 'a'};" * 10}">' for i in range(1, 9)
            )
            + "]>",
        )
        + UNIT_ROW.format(name="&bbbbbbbb;")
        + "</sheetData></worksheet>"
    ),
    "external entity": with_sheet(
        SHEET_START.replace("?>", '?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
        + UNIT_ROW.format(name="&e;")
        + "</sheetData></worksheet>"
    ),
    "3 million blank rows": with_sheet(
        SHEET_START + "<row/>" * 3_000_000 + "</sheetData></worksheet>"
    ),
}


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_a_hostile_or_broken_spreadsheet_gets_a_message_and_imports_nothing(
    login, office_user, org, kind
):
    response = login(office_user).post(
        UNIT_IMPORT, {"step": "preview", "file": upload(HOSTILE_FILES[kind])}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("Tệp"), errors
    assert "report" not in response.context
    assert not Unit.objects.filter(organization=org).exists()


def test_an_over_long_or_control_character_value_is_reported_on_its_row(office_user, org):
    header = ["username", "full_name", "email", "phone", "position_title", "role", "unit"]
    rows = [
        Row(number, dict(zip(header, values, strict=True)))
        for number, values in [
            (2, ["dai.ten", "Nguyễn " * 30, "", "0" * 40, "", "viewer", ""]),
            (3, ["ky.tu", "Lê\x1bVăn", "", "", "Chuyên viên", "viewer", ""]),
            (4, ["binh.thuong", "Trần Bình", "", "", "", "viewer", ""]),
        ]
    ]
    report = services.users_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    messages = dict(report.errors)
    assert sorted(messages) == [2, 3]
    assert "họ và tên dài quá 150 ký tự (có 209)" in messages[2]
    assert "điện thoại dài quá 30 ký tự (có 40)" in messages[2]
    assert "họ và tên có ký tự điều khiển không in được (U+001B)" in messages[3]
    assert not User.objects.filter(username__in=["dai.ten", "ky.tu", "binh.thuong"]).exists()


def test_line_breaks_in_cells_are_read_as_line_feeds():
    rows = read_table(
        BytesIO(xlsx([UNIT_HEADER, ["Tổ\r\ndân phố", "T1", "Khác", ""]])), UNIT_COLUMNS
    )
    assert rows[0]["name"] == "Tổ\ndân phố"


def test_an_over_long_unit_name_is_reported_on_its_row(office_user, org):
    rows = read_table(
        BytesIO(xlsx([UNIT_HEADER, ["Đơn vị " * 40, "DV" * 40, "Khác", ""]])), UNIT_COLUMNS
    )
    report = services.units_import(actor=office_user, organization=org, rows=rows, dry_run=False)
    assert report.errors == [
        (
            2,
            "tên đơn vị dài quá 200 ký tự (có 279); tên viết tắt dài quá 60 ký tự (có 80)",
        )
    ]
    assert not Unit.objects.filter(organization=org).exists()


def test_the_directory_guide_lists_every_kind_of_unit_the_import_reads():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "directory.md").read_text()
    row = next(line for line in guide.splitlines() if line.startswith("| Loại đơn vị |"))
    listed = {kind.strip() for kind in row.split("|")[3].split("one of:")[1].split("·")}
    assert listed == {str(label) for _value, label in Unit.Kind.choices}
