"""The Excel layouts for units and people: what the export writes, the import reads."""

from danvan.excel import Column

UNIT_COLUMNS = (
    Column("name", "Tên đơn vị", aliases=("Unit name", "Tên"), required=True, width=50),
    Column("short_name", "Tên viết tắt", aliases=("Short name",), required=True, width=20),
    Column("kind", "Loại đơn vị", aliases=("Kind", "Loại"), required=True, width=32),
    Column("group", "Nhóm", aliases=("Group", "Nhóm đơn vị", "Địa bàn"), width=28),
    Column("is_active", "Đang hoạt động", aliases=("Active",), width=16),
)

USER_COLUMNS = (
    Column("username", "Tên đăng nhập", aliases=("Username",), required=True, width=20),
    Column("full_name", "Họ và tên", aliases=("Full name",), required=True, width=28),
    Column("email", "E-mail", aliases=("Email", "Thư điện tử"), width=30),
    Column("phone", "Điện thoại", aliases=("Phone", "Số điện thoại"), width=16),
    Column("position_title", "Chức vụ", aliases=("Position", "Position title"), width=28),
    Column("role", "Vai trò", aliases=("Role",), required=True, width=26),
    Column("unit", "Đơn vị (tên viết tắt)", aliases=("Unit", "Đơn vị"), width=22),
    Column("is_active", "Đang hoạt động", aliases=("Active",), width=16),
)
