"""Demo data: the models Phổ Minh's units registered for 2024, in the states a year leaves
them in, entered through the services with the dates they happened on."""

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from campaigns.models import Campaign
from danvan.accounts.models import Membership, Unit
from models_registry import services
from models_registry.models import Field, Registration
from models_registry.questions import questions_for

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
Status = Registration.Status

MODEL_OF_THE_YEAR = (
    "Mô hình hướng dẫn công dân tiếp cận và sử dụng dịch vụ công trực tuyến tại Bộ phận một cửa "
    "phường Phổ Minh"
)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=HANOI)


# unit, field, name, details, final status, reason, progress reports [(date, text, people, money)]
MODELS = [
    (
        "BPMC",
        "political_system",
        MODEL_OF_THE_YEAR,
        {
            "situation": (
                "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến của phường còn thấp (khoảng 18%); "
                "nhiều người dân, nhất là người cao tuổi, chưa biết cách tạo tài khoản và nộp hồ sơ "
                "trên Cổng dịch vụ công."
            ),
            "objectives": "Nâng tỷ lệ hồ sơ nộp trực tuyến lên ít nhất 60% vào cuối năm 2024.",
            "success_measures": (
                "Tỷ lệ hồ sơ trực tuyến theo từng tháng; số người được hướng dẫn tạo tài khoản định danh "
                "điện tử; mức độ hài lòng của người dân qua phiếu khảo sát."
            ),
            "content_methods": (
                "Bố trí tổ hướng dẫn (công chức một cửa và đoàn viên thanh niên) tại Bộ phận một cửa "
                "trong giờ hành chính; hướng dẫn trực tiếp từng bước trên điện thoại của người dân; in "
                "tờ rơi hướng dẫn; tuyên truyền trên loa truyền thanh và nhóm Zalo tổ dân phố."
            ),
            "area": "Bộ phận một cửa UBND phường Phổ Minh",
            "beneficiaries": "Người dân, tổ chức đến giải quyết thủ tục hành chính",
            "person_in_charge": "Huỳnh Thị Ngọc",
            "person_in_charge_position": "Công chức Bộ phận một cửa",
            "person_in_charge_phone": "0255 3840 111",
            "budget_vnd": 8_000_000,
            "contributions_vnd": 3_000_000,
            "workdays": 240,
            "expected_outputs": "Người dân tự nộp hồ sơ trực tuyến; giảm thời gian chờ tại Bộ phận một cửa.",
            "sustainability": "Duy trì thường xuyên, có thể nhân rộng ra các phường, xã trong thị xã.",
        },
        Status.ACCEPTED,
        "",
        [
            (
                date(2024, 6, 28),
                "Đã hướng dẫn 412 lượt người dân; tỷ lệ hồ sơ trực tuyến tháng 6 đạt 41%.",
                412,
                1_500_000,
            ),
            (
                date(2024, 10, 31),
                "Tỷ lệ hồ sơ trực tuyến tháng 10 đạt 63%; 96% người dân hài lòng.",
                958,
                3_000_000,
            ),
        ],
    ),
    (
        "MTTQ",
        "culture_society",
        "Mô hình “Tuyến đường hoa, cây xanh – sáng, xanh, sạch, đẹp” ở khu dân cư",
        {
            "situation": "Một số tuyến đường khu dân cư chưa có cây xanh, còn tình trạng xả rác bừa bãi.",
            "objectives": "Xây dựng 3 tuyến đường hoa, cây xanh do Nhân dân tự quản.",
            "success_measures": "Số tuyến đường hoàn thành; số hộ tham gia; số buổi ra quân vệ sinh.",
            "content_methods": "Vận động các hộ trồng và chăm sóc hoa trước nhà; ra quân vệ sinh mỗi tháng.",
            "area": "Tổ dân phố số 1 và số 2",
            "beneficiaries": "Nhân dân khu dân cư",
            "person_in_charge": "Trần Văn Hùng",
            "person_in_charge_position": "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường",
            "budget_vnd": 5_000_000,
            "contributions_vnd": 22_000_000,
            "workdays": 420,
            "expected_outputs": "3 tuyến đường xanh, sạch, đẹp.",
            "sustainability": "Các hộ tự chăm sóc, tổ dân phố kiểm tra hằng tháng.",
        },
        Status.ACCEPTED,
        "",
        [
            (
                date(2024, 7, 5),
                "Hoàn thành tuyến đường hoa thứ nhất dài 600 m với 85 hộ tham gia.",
                85,
                9_000_000,
            )
        ],
    ),
    (
        "HPN",
        "economy",
        "Mô hình “Tổ tiết kiệm phụ nữ giúp nhau phát triển kinh tế”",
        {
            "situation": "Nhiều hội viên phụ nữ thiếu vốn nhỏ để sản xuất, buôn bán.",
            "objectives": "Thành lập 4 tổ tiết kiệm, giúp 40 hội viên được vay vốn không lãi.",
            "success_measures": "Số tổ, số hội viên tham gia, tổng vốn tiết kiệm quay vòng.",
            "content_methods": "Hội viên góp tiết kiệm hằng tháng, bình xét cho vay luân phiên.",
            "area": "Toàn phường",
            "beneficiaries": "Hội viên phụ nữ có hoàn cảnh khó khăn",
            "person_in_charge": "Nguyễn Thị Hồng",
            "person_in_charge_position": "Chủ tịch Hội Liên hiệp Phụ nữ phường",
            "contributions_vnd": 60_000_000,
            "workdays": 96,
            "expected_outputs": "40 hội viên có vốn làm ăn; giảm hộ nghèo.",
            "sustainability": "Quỹ quay vòng do các tổ tự quản.",
        },
        Status.ACCEPTED,
        "",
        [(date(2024, 9, 20), "4 tổ với 46 hội viên; đã quay vòng 72 triệu đồng.", 46, 72_000_000)],
    ),
    (
        "ĐTN",
        "economy",
        "Mô hình “Thanh niên hướng dẫn thanh toán không dùng tiền mặt tại chợ”",
        {
            "situation": "Tiểu thương tại chợ phường chưa quen thanh toán bằng mã QR.",
            "objectives": "80% tiểu thương tại chợ phường có mã QR thanh toán.",
            "success_measures": "Số tiểu thương được hướng dẫn và có mã QR.",
            "content_methods": "Đoàn viên đến từng quầy hướng dẫn mở tài khoản, in và dán mã QR.",
            "area": "Chợ phường Phổ Minh",
            "beneficiaries": "Tiểu thương và người đi chợ",
            "person_in_charge": "Lê Minh Tâm",
            "person_in_charge_position": "Bí thư Đoàn phường",
            "budget_vnd": 2_000_000,
            "workdays": 60,
            "expected_outputs": "Chợ không dùng tiền mặt.",
            "sustainability": "Phối hợp với ngân hàng duy trì hỗ trợ.",
        },
        Status.ACCEPTED,
        "",
        [(date(2024, 8, 15), "112 trên 130 tiểu thương đã có mã QR (86%).", 112, 0)],
    ),
    (
        "CA",
        "defence_security",
        "Mô hình “Tổ liên gia an toàn phòng cháy, chữa cháy”",
        {
            "situation": "Khu dân cư đông đúc, nhiều hộ kinh doanh, nguy cơ cháy nổ cao.",
            "objectives": "Thành lập 10 tổ liên gia an toàn phòng cháy, chữa cháy.",
            "success_measures": "Số tổ thành lập; số hộ có bình chữa cháy; số buổi diễn tập.",
            "content_methods": "Mỗi tổ 10 hộ liền kề, trang bị bình chữa cháy, diễn tập hằng quý.",
            "area": "Các tổ dân phố trên địa bàn",
            "beneficiaries": "Hộ gia đình, hộ kinh doanh",
            "person_in_charge": "Trương Công Định",
            "person_in_charge_position": "Phó Trưởng Công an phường",
            "budget_vnd": 10_000_000,
            "contributions_vnd": 35_000_000,
            "workdays": 150,
            "expected_outputs": "Không để xảy ra cháy lớn trên địa bàn.",
            "sustainability": "Các tổ tự duy trì, công an phường kiểm tra định kỳ.",
        },
        Status.ACCEPTED,
        "",
        [(date(2024, 9, 30), "Đã thành lập 12 tổ với 120 hộ; diễn tập 2 lần.", 480, 35_000_000)],
    ),
    (
        "CA",
        "defence_security",
        "Mô hình “Camera an ninh khu dân cư”",
        {
            "situation": "Một số tuyến đường vắng, xảy ra trộm cắp vặt.",
            "objectives": "Lắp 24 camera tại các điểm giao thông, ngõ hẻm trọng yếu.",
            "success_measures": "Số camera lắp đặt; số vụ việc được làm rõ nhờ camera.",
            "content_methods": "Vận động Nhân dân đóng góp lắp camera, kết nối về công an phường.",
            "area": "Toàn phường",
            "beneficiaries": "Nhân dân trên địa bàn",
            "person_in_charge": "Trương Công Định",
            "contributions_vnd": 96_000_000,
            "workdays": 40,
            "expected_outputs": "Giảm trộm cắp, tăng cảm giác an toàn.",
            "sustainability": "Nhân dân tự bảo trì, công an phường giám sát.",
        },
        Status.ACCEPTED,
        "",
        [],
    ),
    (
        "BPMC",
        "political_system",
        "Mô hình “Trả kết quả thủ tục hành chính tại nhà qua bưu điện”",
        {
            "situation": "Người cao tuổi, người khuyết tật khó đi lại để nhận kết quả.",
            "objectives": "Trả 100% kết quả tại nhà cho người có yêu cầu.",
            "success_measures": "Số hồ sơ trả tại nhà; thời gian trả.",
            "content_methods": "Phối hợp bưu điện phường nhận và trả kết quả tận nhà.",
            "area": "Toàn phường",
            "beneficiaries": "Người cao tuổi, người khuyết tật",
            "person_in_charge": "Huỳnh Thị Ngọc",
            "workdays": 30,
            "expected_outputs": "Người dân không phải đi lại nhiều lần.",
            "sustainability": "Duy trì theo hợp đồng với bưu điện.",
        },
        Status.ACCEPTED,
        "",
        [],
    ),
    (
        "HND",
        "economy",
        "Mô hình “Chi hội nông dân nghề nghiệp nuôi trồng thủy sản”",
        {
            "situation": "Hộ nuôi trồng thủy sản nhỏ lẻ, thiếu liên kết tiêu thụ.",
            "objectives": "Thành lập chi hội nghề nghiệp với 25 hộ tham gia.",
            "success_measures": "Số hộ tham gia; sản lượng tiêu thụ qua liên kết.",
            "content_methods": "Tập huấn kỹ thuật, liên kết đầu ra với doanh nghiệp.",
            "area": "Ven biển phường Phổ Minh",
            "beneficiaries": "Hộ nuôi trồng thủy sản",
            "person_in_charge": "Phan Văn Sáu",
            "budget_vnd": 6_000_000,
            "workdays": 80,
            "expected_outputs": "Tăng thu nhập cho hội viên.",
            "sustainability": "Chi hội tự duy trì sinh hoạt.",
        },
        Status.ACCEPTED,
        "",
        [],
    ),
    (
        "HND",
        "economy",
        "Mô hình “Tổ hợp tác trồng rau an toàn”",
        {
            "situation": "Rau trồng tự phát, chưa bảo đảm an toàn thực phẩm.",
            "objectives": "Thành lập tổ hợp tác 15 hộ trồng rau theo quy trình VietGAP.",
            "success_measures": "Diện tích, số hộ đạt chứng nhận.",
            "content_methods": "Tập huấn quy trình, hỗ trợ giống, kết nối tiêu thụ.",
            "area": "Tổ dân phố số 2",
            "beneficiaries": "Hộ nông dân",
            "person_in_charge": "Phan Văn Sáu",
            "workdays": 50,
            "expected_outputs": "Rau an toàn cung cấp cho chợ phường.",
            "sustainability": "Tổ hợp tác tự vận hành.",
        },
        Status.SUBMITTED,
        "",
        [],
    ),
    (
        "HCCB",
        "political_system",
        "Mô hình “Cựu chiến binh tham gia hòa giải ở cơ sở”",
        {
            "situation": "Mâu thuẫn nhỏ trong khu dân cư chưa được hòa giải kịp thời.",
            "objectives": "Hòa giải thành 90% vụ việc được giao.",
            "success_measures": "Số vụ hòa giải thành.",
            "content_methods": "Hội viên cựu chiến binh tham gia tổ hòa giải các tổ dân phố.",
            "area": "Toàn phường",
            "beneficiaries": "Nhân dân",
            "person_in_charge": "Đỗ Văn Lực",
            "workdays": 40,
            "expected_outputs": "Giảm đơn thư vượt cấp.",
            "sustainability": "Gắn với hoạt động thường xuyên của Hội.",
        },
        Status.RETURNED,
        "Đề nghị bổ sung chỉ tiêu đo được (số vụ việc dự kiến, tỷ lệ hòa giải thành theo quý) và kế hoạch theo tháng.",
        [],
    ),
    (
        "HPN",
        "culture_society",
        "Mô hình “Địa chỉ tin cậy phòng, chống bạo lực gia đình”",
        {
            "situation": "Còn xảy ra bạo lực gia đình nhưng nạn nhân ngại chia sẻ.",
            "objectives": "Xây dựng 3 địa chỉ tin cậy tại cộng đồng.",
            "success_measures": "Số địa chỉ, số trường hợp được hỗ trợ.",
            "content_methods": "Chọn hộ gia đình uy tín làm địa chỉ tin cậy, tập huấn kỹ năng.",
            "area": "Toàn phường",
            "beneficiaries": "Phụ nữ, trẻ em",
            "person_in_charge": "Nguyễn Thị Hồng",
            "workdays": 30,
            "expected_outputs": "Nạn nhân được hỗ trợ kịp thời.",
            "sustainability": "Duy trì qua chi hội phụ nữ.",
        },
        Status.REJECTED,
        "Mô hình trùng với mô hình đã đăng ký và được công nhận năm 2023; đề nghị đăng ký nội dung mới.",
        [],
    ),
    (
        "ĐTN",
        "culture_society",
        "Mô hình “Ngày thứ Bảy tình nguyện – Ngày Chủ nhật xanh”",
        {
            "situation": "Phong trào tình nguyện của đoàn viên chưa thường xuyên.",
            "objectives": "Tổ chức 20 buổi ra quân trong năm.",
            "success_measures": "Số buổi, số lượt đoàn viên tham gia.",
            "content_methods": "Ra quân vệ sinh môi trường, giúp đỡ gia đình chính sách.",
            "area": "Toàn phường",
            "beneficiaries": "Nhân dân, gia đình chính sách",
            "person_in_charge": "Lê Minh Tâm",
            "workdays": 200,
            "expected_outputs": "Môi trường xanh, sạch.",
            "sustainability": "Gắn với sinh hoạt chi đoàn.",
        },
        Status.WITHDRAWN,
        "Đơn vị gộp nội dung vào mô hình hướng dẫn thanh toán không dùng tiền mặt.",
        [],
    ),
    (
        "MTTQ",
        "culture_society",
        "Mô hình “Khu dân cư tự quản về vệ sinh môi trường”",
        {
            "situation": "Rác thải sinh hoạt chưa được phân loại tại nguồn.",
            "objectives": "70% hộ phân loại rác tại nguồn.",
            "success_measures": "Tỷ lệ hộ phân loại rác.",
            "content_methods": "Tuyên truyền, phát thùng rác phân loại.",
            "area": "Tổ dân phố số 1",
            "beneficiaries": "Nhân dân khu dân cư",
            "person_in_charge": "Trần Văn Hùng",
            "workdays": 60,
            "expected_outputs": "Khu dân cư sạch đẹp.",
            "sustainability": "Tổ tự quản duy trì.",
        },
        Status.DRAFT,
        "",
        [],
    ),
]

SUBMITTED_ON = date(2024, 4, 2)
DECIDED_ON = date(2024, 4, 12)


def _officer(organization, short_name: str):
    membership = (
        Membership.objects.filter(
            organization=organization,
            role=Membership.Role.UNIT_OFFICER,
            unit__short_name=short_name,
        )
        .select_related("user")
        .first()
    )
    return membership.user if membership is not None else None


def _demo_photo(title: str) -> SimpleUploadedFile:
    """A small picture standing in for the unit's photo of the activity."""
    image = Image.new("RGB", (640, 420), (238, 242, 247))
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((0, 0, 640, 64), fill=(155, 28, 28))
    drawing.rectangle((40, 110, 300, 360), fill=(198, 214, 231))
    drawing.rectangle((340, 110, 600, 360), fill=(214, 231, 198))
    drawing.text(
        (20, 22), title.encode("ascii", "ignore").decode() or "Hoat dong", fill=(255, 255, 255)
    )
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("anh-hoat-dong.png", buffer.getvalue(), content_type="image/png")


def seed_registrations(campaign: Campaign) -> list[Registration]:
    """The 2024 models of Phổ Minh; nothing is added if the campaign already has any."""
    if campaign.registrations.exists():
        return list(campaign.registrations.all())
    organization = campaign.organization
    office = _officer_of_office(organization)
    fields = {field.code: field for field in Field.objects.filter(organization=organization)}
    units = {unit.short_name: unit for unit in Unit.objects.filter(organization=organization)}
    created = []
    for index, (unit_code, field_code, name, details, status, reason, reports) in enumerate(MODELS):
        officer = _officer(organization, unit_code)
        created_at = _at(date(2024, 3, 25), 8 + index % 8)
        data = {
            "name": name,
            "field": fields[field_code],
            "start_date": date(2024, 4, 15),
            "evaluation_date": date(2024, 11, 30),
            **details,
        }
        partners = [
            {"unit": units["ĐTN"], "outside_name": "", "role": "Cử đoàn viên hỗ trợ hướng dẫn"}
        ]
        milestones = [
            {"due_on": date(2024, 6, 30), "description": "Sơ kết 6 tháng"},
            {"due_on": date(2024, 11, 30), "description": "Đánh giá kết quả cuối năm"},
        ]
        registration = services.registration_create(
            actor=officer,
            campaign=campaign,
            unit=units[unit_code],
            data=data,
            partners=partners if unit_code != "ĐTN" else [],
            milestones=milestones,
            at=created_at,
        )
        created.append(registration)
        if name == MODEL_OF_THE_YEAR:
            services.evidence_add(
                actor=officer,
                registration=registration,
                files=[_demo_photo("Huong dan dich vu cong")],
            )
        if status == Status.DRAFT:
            continue
        services.registration_transition(
            actor=officer,
            registration=registration,
            to=Status.SUBMITTED,
            at=_at(SUBMITTED_ON, 8 + index % 8),
        )
        if status == Status.SUBMITTED:
            continue
        if status == Status.RETURNED:
            services.registration_transition(
                actor=office,
                registration=registration,
                to=Status.RETURNED,
                reason=reason,
                at=_at(DECIDED_ON),
            )
            services.comment_add(
                actor=officer,
                registration=registration,
                body="Đơn vị sẽ bổ sung chỉ tiêu theo quý và gửi lại trong tuần.",
                at=_at(DECIDED_ON, 15),
            )
            continue
        if status == Status.REJECTED:
            services.registration_transition(
                actor=office,
                registration=registration,
                to=Status.REJECTED,
                reason=reason,
                at=_at(DECIDED_ON),
            )
            continue
        services.registration_transition(
            actor=office, registration=registration, to=Status.ACCEPTED, at=_at(DECIDED_ON)
        )
        if status == Status.WITHDRAWN:
            services.registration_transition(
                actor=officer,
                registration=registration,
                to=Status.WITHDRAWN,
                reason=reason,
                at=_at(date(2024, 5, 20)),
            )
            continue
        for reported_on, text, people, money in reports:
            services.progress_report_add(
                actor=officer,
                registration=registration,
                data={
                    "reported_on": reported_on,
                    "text": text,
                    "people_reached": people,
                    "money_raised_vnd": money,
                },
                files=[],
                at=_at(reported_on, 16),
            )
    return created


# unit, field, name, what it does, final status
LATER_MODELS = {
    2025: [
        ("BPMC", "political_system", "Mô hình “Ngày thứ Bảy cùng dân” làm thủ tục hành chính", "Mở cửa Bộ phận một cửa sáng thứ Bảy hằng tuần cho người lao động làm thủ tục.", Status.RECOGNISED),
        ("HPN", "culture_society", "Mô hình “Tổ phụ nữ tiết kiệm giúp nhau phát triển kinh tế”", "Hội viên góp vốn xoay vòng, hỗ trợ hộ khó khăn vay không lãi.", Status.RECOGNISED),
        ("ĐTN", "economy", "Mô hình “Thanh niên hỗ trợ nông dân bán nông sản trực tuyến”", "Đoàn viên lập gian hàng trực tuyến cho nông sản của hộ dân.", Status.ACCEPTED),
        ("CA", "defence_security", "Mô hình “Camera an ninh tổ dân phố”", "Vận động Nhân dân lắp camera tại các tuyến đường tổ dân phố.", Status.ACCEPTED),
    ],
    2026: [
        ("BPMC", "political_system", "Mô hình “Trợ lý số hướng dẫn thủ tục hành chính”", "Hướng dẫn người dân tra cứu thủ tục qua trợ lý số của phường.", Status.ACCEPTED),
        ("MTTQ", "culture_society", "Mô hình “Khu dân cư không rác thải nhựa”", "Vận động hộ gia đình phân loại rác, không dùng túi ni lông.", Status.ACCEPTED),
        ("HND", "economy", "Mô hình “Cánh đồng lúa sạch liên kết tiêu thụ”", "Liên kết hộ nông dân với doanh nghiệp thu mua lúa sạch.", Status.SUBMITTED),
        ("HCCB", "defence_security", "Mô hình “Cựu chiến binh tham gia giữ gìn trật tự giao thông”", "Tổ tự quản hướng dẫn giao thông giờ tan trường.", Status.RETURNED),
        ("ĐTN", "culture_society", "Mô hình “Thư viện xanh cho thiếu nhi”", "Góc đọc sách ngoài trời tại nhà văn hóa tổ dân phố.", Status.DRAFT),
    ],
}  # fmt: skip


def seed_later_registrations(campaign: Campaign) -> list[Registration]:
    """The models Phổ Minh's units registered in a later year, in the state the year has
    brought them to; nothing is added if the campaign already has registrations."""
    if campaign.registrations.exists():
        return list(campaign.registrations.all())
    organization = campaign.organization
    office = _officer_of_office(organization)
    fields = {field.code: field for field in Field.objects.filter(organization=organization)}
    units = {unit.short_name: unit for unit in Unit.objects.filter(organization=organization)}
    opens = campaign.registration_opens
    created = []
    for index, (unit_code, field_code, name, what, status) in enumerate(
        LATER_MODELS[campaign.year]
    ):
        officer = _officer(organization, unit_code)
        registration = services.registration_create(
            actor=officer,
            campaign=campaign,
            unit=units[unit_code],
            data={
                "name": name,
                "field": fields[field_code],
                "situation": what,
                "objectives": what,
                "success_measures": "Số người tham gia và hưởng lợi, đo hằng quý.",
                "content_methods": what,
                "area": f"Phường {organization.place_name}",
                "beneficiaries": "Người dân trên địa bàn phường",
                "expected_outputs": what,
                "sustainability": "Duy trì thường xuyên, có thể nhân rộng ra các tổ dân phố.",
                "person_in_charge": officer.full_name,
                "start_date": opens,
                "evaluation_date": campaign.year_end_review_starts,
            },
            at=_at(opens, 8 + index),
        )
        created.append(registration)
        if status == Status.DRAFT:
            continue
        submitted = _at(opens, 14 + index % 3)
        services.registration_transition(
            actor=officer, registration=registration, to=Status.SUBMITTED, at=submitted
        )
        if status == Status.SUBMITTED:
            continue
        if status == Status.RETURNED:
            services.registration_transition(
                actor=office,
                registration=registration,
                to=Status.RETURNED,
                reason="Đề nghị bổ sung chỉ tiêu đo đếm được (số người tham gia, số vụ việc).",
                at=_at(campaign.registration_deadline, 10),
            )
            continue
        services.registration_transition(
            actor=office,
            registration=registration,
            to=Status.ACCEPTED,
            at=_at(campaign.registration_deadline, 10),
        )
        if status == Status.RECOGNISED:
            services.registration_transition(
                actor=office,
                registration=registration,
                to=Status.RECOGNISED,
                reason="Xếp loại Tốt trở lên ở đợt tổng kết cuối năm.",
                at=_at(campaign.year_end_review_ends, 9),
            )
    return created


# Nguyễn Nghiêm: six fields, the Front's nine-question form, and the 2026 models of its
# residential areas, school and associations.
FRONT_FIELDS = [
    ("digital", "Chuyển đổi số", "Digital transformation", 5),
    ("environment", "Bảo vệ môi trường", "Environmental protection", 6),
]
TIME_AND_RESOURCES = "Thời gian, nguồn lực"
HOUSEHOLDS = "Số hộ tham gia"
FRONT_FORM = [
    {"key": "name", "label": "Tên mô hình", "position": 10},
    {"key": "situation", "label": "Thực trạng, lý do", "position": 20, "required": True},
    {"key": "objectives", "label": "Mục đích, tiêu chí", "position": 30, "required": True},
    {"key": "content_methods", "label": "Nội dung, cách làm", "position": 40, "required": True},
    {
        "key": "beneficiaries",
        "label": "Địa bàn, đối tượng thụ hưởng",
        "position": 50,
        "required": True,
    },
    {
        "key": "partners",
        "label": "Lực lượng chủ trì, phối hợp, tham gia",
        "position": 60,
        "partner_parts": True,
    },
    {"kind": "long_text", "label": TIME_AND_RESOURCES, "position": 70, "required": True},
    {"key": "expected_outputs", "label": "Sản phẩm đầu ra", "position": 80, "required": True},
    {
        "key": "sustainability",
        "label": "Khả năng duy trì, nhân rộng",
        "position": 90,
        "required": True,
    },
    {"key": "field", "label": "Lĩnh vực", "position": 100, "required": True},
    {"key": "owner", "label": "Chủ thể mô hình", "position": 110},
    {"kind": "number", "label": HOUSEHOLDS, "position": 120},
    *(
        {"key": key, "shown": False}
        for key in (
            "success_measures",
            "area",
            "person_in_charge",
            "person_in_charge_position",
            "person_in_charge_phone",
            "budget_vnd",
            "contributions_vnd",
            "workdays",
            "start_date",
            "milestones",
            "evaluation_date",
        )
    ),
]
FRONT_RECOGNISED = "Dân vận khéo giữ gìn vệ sinh khu phố"
FRONT_BY_A_PERSON = "Bữa cơm nghĩa tình cho người cao tuổi neo đơn"
# unit, field, name, (situation, aims, content, beneficiaries, time and resources, outputs,
# lasting), households, owner (name, position) or None, final status
FRONT_MODELS = [
    ("TDP1", "environment", FRONT_RECOGNISED, (
        "Rác thải còn tồn đọng ở các kiệt hẻm, nhiều hộ chưa phân loại rác tại nguồn.",
        "Khu phố sáng – xanh – sạch; 90% hộ phân loại rác tại nguồn.",
        "Tổ tự quản ra quân ngày Chủ nhật cuối tháng; mỗi hộ nhận một đoạn đường.",
        "Tổ dân phố 1, 320 hộ.",
        "Từ tháng 3 đến tháng 11; xã hội hóa 15 triệu đồng, 400 ngày công.",
        "Tuyến đường hoa dài 600 m; quy ước phân loại rác.",
        "Đưa vào hương ước của tổ dân phố, nhân rộng ra Tổ dân phố 2 và 3.",
    ), 320, None, Status.RECOGNISED),
    ("TDP8", "defence_security", "Tổ tự quản an ninh trật tự khu phố", (
        "Trộm cắp vặt xảy ra ở các tuyến đường vắng ban đêm.",
        "Không để xảy ra trộm cắp; mỗi tuyến đường có camera giám sát.",
        "Tổ tự quản tuần tra hai tối mỗi tuần; kết nối camera với Công an phường.",
        "Tổ dân phố 8, 210 hộ.",
        "Cả năm 2026; 12 camera do Nhân dân đóng góp.",
        "12 camera an ninh; tổ tuần tra 15 thành viên.",
        "Công an phường hướng dẫn, duy trì theo lịch hằng tuần.",
    ), 210, None, Status.ACCEPTED),
    ("THNN", "digital", "Kết nối nhà trường với cha mẹ học sinh qua nhóm Zalo lớp", (
        "Cha mẹ học sinh đi làm xa, ít dự họp phụ huynh.",
        "100% lớp có nhóm kết nối; cha mẹ nắm kết quả học tập hằng tuần.",
        "Giáo viên chủ nhiệm lập nhóm, gửi nhận xét hằng tuần, trả lời trong ngày.",
        "Học sinh và cha mẹ học sinh Trường Tiểu học Nguyễn Nghiêm.",
        "Năm học 2026–2027; không phát sinh kinh phí.",
        "24 nhóm lớp hoạt động đều đặn.",
        "Đưa vào quy chế phối hợp giữa nhà trường và Ban đại diện cha mẹ học sinh.",
    ), 0, None, Status.SUBMITTED),
    ("TL", "culture_society", FRONT_BY_A_PERSON, (
        "Thôn có 14 người cao tuổi sống một mình, bữa ăn thiếu thốn.",
        "Mỗi tuần hai bữa cơm ấm cho người cao tuổi neo đơn.",
        "Chi hội Phụ nữ vận động các hộ góp gạo, thực phẩm; nấu và đưa cơm tận nhà.",
        "14 người cao tuổi neo đơn thôn Tân Lộc.",
        "Cả năm 2026; gạo và thực phẩm do 60 hộ đóng góp.",
        "96 bữa cơm mỗi năm; sổ theo dõi sức khỏe người cao tuổi.",
        "Giao Chi hội Phụ nữ thôn duy trì; các thôn khác học tập.",
    ), 60, ("Phạm Thị Ngọc Ánh", "Chi hội trưởng Chi hội Phụ nữ thôn Tân Lộc"), Status.RECOGNISED),
    ("VH", "economy", "Liên kết tiêu thụ nông sản qua sàn thương mại điện tử", (
        "Nông sản của thôn bán qua thương lái, giá thấp.",
        "30 hộ bán hàng trên sàn thương mại điện tử; giá bán tăng 15%.",
        "Đoàn viên thanh niên hướng dẫn hộ nông dân mở gian hàng, chụp ảnh sản phẩm.",
        "Hộ nông dân thôn Vinh Hiển.",
        "Từ tháng 4 đến tháng 10; 5 triệu đồng cho tập huấn.",
        "30 gian hàng trực tuyến.",
        "Hợp tác xã nông nghiệp tiếp nhận, duy trì.",
    ), 30, None, Status.RETURNED),
]  # fmt: skip


def seed_front_form(campaign: Campaign) -> None:
    """Give Nguyễn Nghiêm its six fields and the campaign the Front's nine questions;
    left as it is if the campaign has its form."""
    organization = campaign.organization
    for code, name, name_en, position in FRONT_FIELDS:
        Field.objects.update_or_create(
            organization=organization,
            code=code,
            defaults={"name": name, "name_en": name_en, "position": position},
        )
    if campaign.form_questions.exists():
        return
    office = _officer_of_office(organization)
    services.registration_form_save(
        actor=office, campaign=campaign, rows=FRONT_FORM, fingerprint=None
    )


def _officer_of_office(organization):
    return (
        Membership.objects.filter(organization=organization, role=Membership.Role.OFFICE)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def seed_front_registrations(campaign: Campaign) -> list[Registration]:
    """The 2026 models answering the Front's call, two entered by the office for bodies
    without an account; nothing is added if the campaign already has registrations."""
    if campaign.registrations.exists():
        return list(campaign.registrations.all())
    organization = campaign.organization
    office = _officer_of_office(organization)
    added = {question.label: question.key for question in questions_for(campaign)}
    fields = {field.code: field for field in Field.objects.filter(organization=organization)}
    units = {unit.short_name: unit for unit in Unit.objects.filter(organization=organization)}
    opens, deadline = campaign.registration_opens, campaign.registration_deadline
    created = []
    for index, (unit_code, field_code, name, texts, households, owner, status) in enumerate(
        FRONT_MODELS
    ):
        unit = units[unit_code]
        officer = _officer(organization, unit_code) or office
        situation, objectives, content, beneficiaries, resources, outputs, lasting = texts
        data = {
            "name": name,
            "field": fields[field_code],
            "situation": situation,
            "objectives": objectives,
            "content_methods": content,
            "beneficiaries": beneficiaries,
            "expected_outputs": outputs,
            "sustainability": lasting,
            "answers": {added[TIME_AND_RESOURCES]: resources, added[HOUSEHOLDS]: households},
        }
        if owner is not None:
            data.update(
                owner_kind=Registration.Owner.INDIVIDUAL,
                owner_name=owner[0],
                owner_position=owner[1],
            )
        partners = [
            {"unit": unit, "outside_name": "", "role": "", "part": "lead"},
            {
                "unit": units["MTTQ"],
                "outside_name": "",
                "role": "Hướng dẫn, theo dõi",
                "part": "cooperate",
            },
            {
                "unit": None,
                "outside_name": f"Nhân dân {unit.name}",
                "role": "Góp công, góp của",
                "part": "take_part",
            },
        ]
        registration = services.registration_create(
            actor=officer,
            campaign=campaign,
            unit=unit,
            data=data,
            partners=partners,
            at=_at(opens, 8 + index),
        )
        created.append(registration)
        services.registration_transition(
            actor=officer,
            registration=registration,
            to=Status.SUBMITTED,
            at=_at(opens, 14 + index % 3),
        )
        if status == Status.SUBMITTED:
            continue
        if status == Status.RETURNED:
            services.registration_transition(
                actor=office,
                registration=registration,
                to=Status.RETURNED,
                reason="Đề nghị ghi rõ số hộ tham gia mỗi quý và cách đo giá bán.",
                at=_at(deadline, 10),
            )
            continue
        services.registration_transition(
            actor=office, registration=registration, to=Status.ACCEPTED, at=_at(deadline, 10)
        )
        if status != Status.RECOGNISED:
            continue
        services.registration_launch(
            actor=office, registration=registration, launched_on=date(2026, 4, 12 + index)
        )
        services.registration_transition(
            actor=office,
            registration=registration,
            to=Status.RECOGNISED,
            reason="Mô hình tiêu biểu, được Nhân dân khu dân cư đồng thuận.",
            at=_at(campaign.year_end_review_ends, 9),
        )
        services.registration_set_level(
            actor=office,
            registration=registration,
            level=Registration.Level.WARD
            if owner is None
            else Registration.Level.PROPOSED_PROVINCE,
        )
    return created
