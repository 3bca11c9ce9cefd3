"""The one place that maps header spellings to canonical column names.

Each kind of input (monthly counts, targets, and later dossier exports and report forms) has a
`Schema`: its canonical fields, which are required, and the headers analysts write for each.
Headers match regardless of case, surrounding or repeated spaces, Unicode form and tone placement.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_utils.names import collapse_spaces, fold_tones


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
        ),
        "month": ("tháng", "kỳ báo cáo", "kỳ", "period"),
        "total": ("tổng số hồ sơ", "tổng số", "tổng hồ sơ", "total dossiers"),
        "online": (
            "hồ sơ trực tuyến",
            "số hồ sơ trực tuyến",
            "trực tuyến",
            "online dossiers",
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


def map_headers(schema: Schema, headers: list[object]) -> dict[str, int]:
    """Canonical field -> column index, first match wins (a repeated column is the caller's problem)."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field_name = schema.field_for(header)
        if field_name is not None and field_name not in found:
            found[field_name] = index
    return found
