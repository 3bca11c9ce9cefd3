"""The one place that maps header spellings to canonical column names.

Each kind of input (monthly counts, targets, and later dossier exports and report forms) has a
`Schema`: its canonical fields, which are required, and the headers analysts write for each.
Headers match regardless of case, surrounding or repeated spaces, Unicode form and tone placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kpi_utils.common.names import collapse_spaces, fold_tones


# Finding the header row tries every known spelling against every cell: fold each text once.
@lru_cache(maxsize=8192, typed=True)
def header_key(text: object) -> str:
    """Comparison key of a header cell: trimmed, casefolded, tone placement folded, ':' dropped."""
    text = collapse_spaces(str(text if text is not None else "")).casefold().rstrip(":").strip()
    return fold_tones(text)


@dataclass(frozen=True)
class Schema:
    """Canonical fields of one kind of input and the header spellings that name each."""

    kind: str
    spellings: dict[str, tuple[str, ...]]
    required: tuple[str, ...]

    def field_for(self, header: object) -> str | None:
        """The field a header names: an exact spelling, else the longest known spelling it starts with.

        The prefix rule reads the decision's sentence-long headers ("Số lượng TTHC công bố mức độ 3,4
        tại QĐ số 1309/QĐ-UBND ..."): their first words identify the column.
        """
        key = header_key(header)
        if not key:
            return None
        best: tuple[int, str] | None = None
        for field_name, names in self.spellings.items():
            for name in (field_name, *names):
                candidate = header_key(name)
                if candidate == key:
                    return field_name
                is_prefix = len(candidate) >= 6 and key.startswith(candidate + " ")
                if is_prefix and (best is None or len(candidate) > best[0]):
                    best = (len(candidate), field_name)
        return best[1] if best else None


COUNTS = Schema(
    kind="monthly counts",
    spellings={
        "unit": (
            "unit_code",
            "unit_name",
            "đơn vị",
            "cơ quan, đơn vị",
            "cơ quan/đơn vị",
            "tên đơn vị",
            "cơ quan",
            "cơ quan, địa phương",
            "mã đơn vị",
            "tên cơ quan, đơn vị",
            "tên cơ quan",
            "đơn vị, địa phương",
            "cơ quan/địa phương",
        ),
        "month": ("tháng", "kỳ báo cáo", "kỳ", "period", "tháng/năm", "tháng năm", "tháng, năm"),
        "total": ("tổng số hồ sơ", "tổng số", "tổng hồ sơ", "total dossiers"),
        "online": (
            "hồ sơ trực tuyến",
            "số hồ sơ trực tuyến",
            "trực tuyến",
            "online dossiers",
            "tiếp nhận trực tuyến",
            "số hồ sơ tiếp nhận trực tuyến",
            "trong đó: trực tuyến",
            "trong đó trực tuyến",
            # Not "total" by the prefix rule: the total *of online* dossiers.
            "tổng số hồ sơ trực tuyến",
            "tổng số trực tuyến",
        ),
        "resolved": ("đã giải quyết", "số hồ sơ đã giải quyết"),
        "resolved_on_time": ("giải quyết đúng hạn", "đúng hạn"),
        "pending_overdue": ("đang giải quyết quá hạn",),
    },
    required=("unit", "month", "total", "online"),
)

TARGETS = Schema(
    kind="targets",
    spellings={
        "unit": (
            "unit_code",
            "unit_name",
            "đơn vị",
            "cơ quan, đơn vị",
            "cơ quan, địa phương",
            "tên đơn vị",
            "cơ quan",
        ),
        "year": ("năm",),
        "eligible_procedures": (
            "eligible",
            "số lượng tthc",
            "số tthc",
            "số lượng tthc công bố mức độ 3,4",
            "số lượng tthc đủ điều kiện",
        ),
        "target_rate": ("target", "chỉ tiêu", "tỷ lệ", "tỉ lệ", "tỷ lệ chỉ tiêu"),
    },
    required=("unit", "target_rate"),
)

_COMMUNE = (
    "ward_name",
    "commune",
    "xã",
    "tên xã",
    "xã, phường, thị trấn",
    "xã/phường/thị trấn",
    "tên xã, phường, thị trấn",
    "đơn vị cấp xã",
    "ubnd cấp xã",
)
_DISTRICT = (
    "unit_code",
    "district",
    "district_name",
    "huyện",
    "huyện, thành phố",
    "huyện/thành phố",
    "huyện, thị xã, thành phố",
    "đơn vị cấp huyện",
)

COMMUNE_COUNTS = Schema(
    kind="commune monthly counts",
    spellings={
        "commune": _COMMUNE,
        "ward_code": ("mã xã", "mã đơn vị hành chính"),
        "district": _DISTRICT,
        "month": COUNTS.spellings["month"],
        "total": COUNTS.spellings["total"],
        "online": COUNTS.spellings["online"],
        "resolved": COUNTS.spellings["resolved"],
        "resolved_on_time": COUNTS.spellings["resolved_on_time"],
    },
    required=("commune", "month", "total", "online"),
)

COMMUNE_TARGETS = Schema(
    kind="commune targets",
    spellings={
        "commune": _COMMUNE,
        "ward_code": ("mã xã", "mã đơn vị hành chính"),
        "district": _DISTRICT,
        "year": ("năm",),
        "target_rate": ("target", "chỉ tiêu", "tỷ lệ", "tỉ lệ", "tỷ lệ chỉ tiêu"),
        "decision": ("quyết định", "văn bản giao", "căn cứ"),
    },
    required=("commune", "target_rate"),
)

# Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP), DOMAIN.md §4. Its 13 columns are named by the
# row of column numbers under the header ("(1)" ... "(13)"), or by the two merged header rows read
# together ("Số hồ sơ nhận giải quyết" over "Trực tuyến"; `forms` joins them and drops "trong đó").
FORM06 = Schema(
    kind="report form 06/VPCP/KSTT",
    spellings={
        "stt": ("(1)", "1", "stt", "số tt", "số thứ tự", "tt"),
        "name": (
            "(2)",
            "2",
            "lĩnh vực, công việc giải quyết theo cấp",
            "lĩnh vực",
            "lĩnh vực giải quyết",
            "tên đơn vị",
            "đơn vị",
            "cơ quan, đơn vị",
        ),
        "received_total": ("(3)", "3", "số hồ sơ nhận giải quyết tổng số"),
        "received_online": ("(4)", "4", "số hồ sơ nhận giải quyết trực tuyến"),
        "received_offline": (
            "(5)",
            "5",
            "số hồ sơ nhận giải quyết trực tiếp, dịch vụ bưu chính",
            "số hồ sơ nhận giải quyết trực tiếp, qua dịch vụ bưu chính",
            "số hồ sơ nhận giải quyết trực tiếp",
        ),
        "carried_over": ("(6)", "6", "số hồ sơ nhận giải quyết từ kỳ trước"),
        "resolved_total": ("(7)", "7", "số hồ sơ đã giải quyết tổng số"),
        "resolved_early": ("(8)", "8", "số hồ sơ đã giải quyết trước hạn"),
        "resolved_in_time": ("(9)", "9", "số hồ sơ đã giải quyết đúng hạn"),
        "resolved_late": ("(10)", "10", "số hồ sơ đã giải quyết quá hạn"),
        "pending_total": ("(11)", "11", "số hồ sơ đang giải quyết tổng số"),
        "pending_in_time": ("(12)", "12", "số hồ sơ đang giải quyết trong hạn"),
        "pending_overdue": ("(13)", "13", "số hồ sơ đang giải quyết quá hạn"),
    },
    required=(
        "stt",
        "name",
        "received_total",
        "received_online",
        "received_offline",
        "carried_over",
        "resolved_total",
        "resolved_early",
        "resolved_in_time",
        "resolved_late",
        "pending_total",
        "pending_in_time",
        "pending_overdue",
    ),
)


def map_headers(schema: Schema, headers: list[object]) -> dict[str, int]:
    """Canonical field -> column index, first match wins (a repeated column is the caller's problem)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field_name = schema.field_for(header)
        if field_name is not None and field_name not in found:
            found[field_name] = index
    return found


# Dossier-level exports of the one-stop system (DOMAIN.md §4), one row per dossier.
DOSSIERS = Schema(
    kind="dossier export",
    spellings={
        "dossier_id": (
            "mã hồ sơ",
            "số biên nhận",
            "mã biên nhận",
            "số hồ sơ",
            "dossier id",
            "dossier_code",
        ),
        "procedure_code": ("mã tthc", "mã thủ tục", "mã thủ tục hành chính", "procedure code"),
        "procedure_name": ("tên tthc", "tên thủ tục", "tên thủ tục hành chính", "procedure name"),
        "agency": (
            "cơ quan/đơn vị",
            "cơ quan, đơn vị",
            "đơn vị",
            "cơ quan",
            "đơn vị xử lý",
            "cơ quan thực hiện",
            "agency",
            "unit",
            "unit_code",
        ),
        "channel": ("kênh thực hiện", "hình thức nộp", "kênh nộp", "hình thức tiếp nhận"),
        "submitted": ("ngày nộp", "submitted date"),
        "received": ("ngày tiếp nhận", "ngày nhận", "received date", "received_date"),
        "due": ("ngày hẹn trả", "hạn xử lý", "hạn giải quyết", "due date", "due_date"),
        "completed": (
            "ngày kết thúc xử lý",
            "ngày kết thúc",
            "ngày hoàn thành",
            "ngày có kết quả",
            "completed date",
            "completion date",
            "completed_date",
        ),
        "status": ("trạng thái", "tình trạng"),
        "commune": ("xã/phường", "xã, phường", "xã/phường địa bàn", "xã, phường, thị trấn"),
    },
    required=("dossier_id", "procedure_code", "agency", "channel", "received", "due", "completed"),
)

# The published catalogue of procedures and their online level (QĐ 1309/QĐ-UBND, QĐ 2698/QĐ-UBND).
CATALOGUE = Schema(
    kind="procedure catalogue",
    spellings={
        "procedure_code": ("mã tthc", "mã thủ tục", "mã thủ tục hành chính", "procedure code"),
        "procedure_name": ("tên tthc", "tên thủ tục", "tên thủ tục hành chính", "procedure name"),
        "level": ("mức độ", "mức độ dvc", "mức độ dvctt", "mức độ dịch vụ công", "level"),
        "agency": (
            "cơ quan",
            "cơ quan thực hiện",
            "cơ quan/đơn vị",
            "cơ quan, đơn vị",
            "đơn vị",
            "agency",
            "unit_code",
        ),
    },
    required=("procedure_code", "level"),
)
