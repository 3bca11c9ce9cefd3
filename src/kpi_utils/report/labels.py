"""Every word a reader sees, in Vietnamese (`vi`, the default) and English (`en`).

The one place for wording: column headers, status and group names, chart titles, page headings,
notices, the sentence templates of headlines, the KPI workbook's title and note, and the words
of the site's own frame (`SITE`: report index, back link, footer). Templates use `str.format`
fields that the caller fills with already formatted values (see `fmt`). Code never spells a
label itself.
"""

from __future__ import annotations

LANGS = ("vi", "en")

STATUS = {
    "met": {"vi": "Đạt", "en": "met"},
    "near": {"vi": "Gần đạt", "en": "near"},
    "below": {"vi": "Chưa đạt", "en": "below"},
    "no_data": {"vi": "Không có số liệu", "en": "no data"},
}

GROUP = {
    "department": {"vi": "Sở, ban, ngành", "en": "Departments"},
    "district": {"vi": "UBND huyện, thành phố", "en": "Districts and city"},
}

COLUMN = {
    "unit_code": {"vi": "Mã đơn vị", "en": "Code"},
    "unit_name": {"vi": "Cơ quan, đơn vị", "en": "Unit"},
    "group": {"vi": "Nhóm", "en": "Group"},
    "eligible_procedures": {"vi": "Số TTHC mức độ 3, 4", "en": "Level 3/4 procedures"},
    "target_rate": {"vi": "Chỉ tiêu", "en": "Target"},
    "month": {"vi": "Tháng", "en": "Month"},
    "month_total": {"vi": "Hồ sơ trong tháng", "en": "Dossiers in month"},
    "month_online": {"vi": "Trực tuyến trong tháng", "en": "Online in month"},
    "month_rate": {"vi": "Tỷ lệ trong tháng", "en": "Month rate"},
    "ytd_total": {"vi": "Hồ sơ lũy kế", "en": "Dossiers YTD"},
    "ytd_online": {"vi": "Trực tuyến lũy kế", "en": "Online YTD"},
    "ytd_rate": {"vi": "Tỷ lệ lũy kế", "en": "YTD rate"},
    "gap_pp": {"vi": "Chênh lệch (điểm %)", "en": "Gap (points)"},
    "shortfall": {"vi": "Số hồ sơ còn thiếu", "en": "Shortfall (dossiers)"},
    "status": {"vi": "Đánh giá", "en": "Status"},
    "rank_in_group": {"vi": "Xếp hạng trong nhóm", "en": "Rank in group"},
    "ranked_units": {"vi": "Số đơn vị được xếp hạng", "en": "Units ranked"},
    "previous_month_total": {"vi": "Hồ sơ tháng trước", "en": "Dossiers previous month"},
    "previous_month_rate": {"vi": "Tỷ lệ tháng trước", "en": "Previous month rate"},
    "month_change_pp": {"vi": "Thay đổi (điểm %)", "en": "Change (points)"},
    "previous_ytd_rate": {"vi": "Tỷ lệ lũy kế tháng trước", "en": "Previous YTD rate"},
    "ytd_change_pp": {"vi": "Thay đổi lũy kế (điểm %)", "en": "YTD change (points)"},
    "avg_monthly_total": {"vi": "Hồ sơ bình quân/tháng", "en": "Average dossiers a month"},
    "remaining_months": {"vi": "Số tháng còn lại", "en": "Months left"},
    "needed_rate": {
        "vi": "Tỷ lệ cần đạt mỗi tháng còn lại",
        "en": "Rate needed in each remaining month",
    },
    "out_of_reach": {"vi": "Không thể đạt", "en": "Out of reach"},
    "median_ytd_rate": {"vi": "Trung vị lũy kế của nhóm", "en": "Group median YTD rate"},
    "median_month_rate": {"vi": "Trung vị tháng của nhóm", "en": "Group median month rate"},
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "other": {"vi": "Trực tiếp, bưu chính", "en": "In person, by post"},
    "dossiers": {"vi": "Số hồ sơ", "en": "Dossiers"},
    "rate": {"vi": "Tỷ lệ trực tuyến", "en": "Online rate"},
    "rank": {"vi": "Thứ hạng", "en": "Rank"},
    "series": {"vi": "Chỉ số", "en": "Measure"},
    # data-quality page
    "file_name": {"vi": "Tệp", "en": "File"},
    "file_rows": {"vi": "Số dòng", "en": "Rows"},
    "sha256": {"vi": "SHA-256", "en": "SHA-256"},
    "first_month": {"vi": "Từ tháng", "en": "First month"},
    "last_month": {"vi": "Đến tháng", "en": "Last month"},
    "months_with_rows": {"vi": "Số tháng có số liệu", "en": "Months with rows"},
    "severity": {"vi": "Mức độ", "en": "Severity"},
    "location": {"vi": "Vị trí", "en": "Where"},
    "message": {"vi": "Nội dung", "en": "Message"},
    "period": {"vi": "Kỳ", "en": "Period"},
    "input_total": {"vi": "Tổng hồ sơ (đầu vào)", "en": "Total dossiers (inputs)"},
    "report_total": {"vi": "Tổng hồ sơ (báo cáo)", "en": "Total dossiers (report)"},
    "input_online": {"vi": "Trực tuyến (đầu vào)", "en": "Online (inputs)"},
    "report_online": {"vi": "Trực tuyến (báo cáo)", "en": "Online (report)"},
    "matches": {"vi": "Khớp", "en": "Equal"},
    # on-time rate (resolved on time / resolved)
    "month_on_time_rate": {"vi": "Tỷ lệ đúng hạn trong tháng", "en": "On-time rate in month"},
    "ytd_on_time_rate": {"vi": "Tỷ lệ đúng hạn lũy kế", "en": "On-time rate YTD"},
    # year over year
    "yoy_period": {"vi": "Kỳ so sánh", "en": "Period"},
    "yoy_total": {"vi": "Hồ sơ", "en": "Dossiers"},
    "yoy_online": {"vi": "Trực tuyến", "en": "Online"},
    "yoy_rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "prev_total": {"vi": "Hồ sơ cùng kỳ năm trước", "en": "Dossiers a year earlier"},
    "prev_online": {"vi": "Trực tuyến cùng kỳ năm trước", "en": "Online a year earlier"},
    "prev_rate": {"vi": "Tỷ lệ cùng kỳ năm trước", "en": "Rate a year earlier"},
    "rate_change_pp": {"vi": "Thay đổi (điểm %)", "en": "Change (points)"},
    "prev_month_rate": {"vi": "Tỷ lệ tháng cùng kỳ", "en": "Month rate a year earlier"},
    "month_rate_change_pp": {"vi": "Thay đổi tháng (điểm %)", "en": "Month change (points)"},
    "prev_ytd_rate": {"vi": "Tỷ lệ lũy kế cùng kỳ", "en": "YTD rate a year earlier"},
    "ytd_rate_change_pp": {"vi": "Thay đổi lũy kế (điểm %)", "en": "YTD change (points)"},
    "ytd_total_growth": {"vi": "Hồ sơ lũy kế tăng/giảm", "en": "YTD dossiers, change"},
    # communes
    "ward_name": {"vi": "Xã, phường, thị trấn", "en": "Commune"},
    "district_name": {"vi": "Huyện, thành phố", "en": "District"},
    "target_source": {"vi": "Chỉ tiêu theo", "en": "Target from"},
    "rank_in_district": {"vi": "Xếp hạng trong huyện", "en": "Rank in district"},
}

TARGET_SOURCE = {
    "commune": {"vi": "Huyện giao cho xã", "en": "assigned by the district"},
    "district": {"vi": "Chỉ tiêu của huyện", "en": "the district's own"},
    "none": {"vi": "Không có", "en": "none"},
}

TEXT = {
    # page headings and sections
    "overview_title": {
        "vi": "Tỷ lệ hồ sơ trực tuyến toàn tỉnh Hòa Bình, {month}",
        "en": "Online dossier rate, Hòa Bình province, {month}",
    },
    "data_quality_title": {
        "vi": "Chất lượng số liệu, {month}",
        "en": "Data quality, {month}",
    },
    "unit_title": {"vi": "{unit}, {month}", "en": "{unit}, {month}"},
    "sample_notice": {
        "vi": "Dữ liệu mô phỏng (synthetic): các số liệu trên trang này được sinh ngẫu nhiên "
        "để minh họa, không phải số liệu thật của các cơ quan, đơn vị.",
        "en": "Dữ liệu mô phỏng (synthetic): the figures on this page are generated for "
        "illustration; they are not real counts of any unit.",
    },
    "yes": {"vi": "Có", "en": "yes"},
    "no": {"vi": "Không", "en": "no"},
    "none": {"vi": "Không có", "en": "None"},
    "total_row": {"vi": "Toàn tỉnh", "en": "Province"},
    "ytd_period": {"vi": "Lũy kế đến {month}", "en": "Year to date, {month}"},
    "error": {"vi": "Lỗi", "en": "error"},
    "warning": {"vi": "Cảnh báo", "en": "warning"},
    "no_warnings": {"vi": "Không có cảnh báo nào.", "en": "No warnings."},
    "no_units_below": {
        "vi": "Mọi đơn vị đều đã đạt chỉ tiêu lũy kế.",
        "en": "Every unit has met the target year to date.",
    },
    "no_changes": {
        "vi": "Chưa có tháng trước trong năm để so sánh.",
        "en": "No earlier month this year to compare with.",
    },
    "out_of_reach_mark": {"vi": "Không thể đạt", "en": "out of reach"},
    # section headings
    "section_kpi_table": {
        "vi": "Kết quả theo nhóm, xếp hạng theo tỷ lệ lũy kế",
        "en": "Results by group, ranked by year-to-date rate",
    },
    "section_movers": {
        "vi": "Đơn vị thay đổi nhiều nhất so với tháng trước",
        "en": "Largest movers since last month",
    },
    "section_needed": {
        "vi": "Tỷ lệ cần đạt trong các tháng còn lại của năm",
        "en": "Rate needed in the remaining months of the year",
    },
    "section_files": {"vi": "Tệp số liệu đã đọc", "en": "Files read"},
    "section_coverage": {"vi": "Tháng và đơn vị có số liệu", "en": "Months and units covered"},
    "section_warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "section_reconciliation": {
        "vi": "Đối chiếu tổng số liệu đầu vào với báo cáo",
        "en": "Reconciliation: input totals against report totals",
    },
    "section_monthly": {"vi": "Số liệu từng tháng", "en": "Month by month"},
    "section_outlook": {"vi": "Các tháng còn lại", "en": "The rest of the year"},
    # headline sentences
    "headline": {
        "vi": "{met} trên {units} đơn vị đạt chỉ tiêu lũy kế từ đầu năm; "
        "toàn tỉnh đạt {rate}{change}.",
        "en": "{met} of {units} units met the target year-to-date; "
        "the province stands at {rate}{change}.",
    },
    "headline_up": {
        "vi": ", tăng {points} điểm % so với tháng trước",
        "en": ", {points} points up on last month",
    },
    "headline_down": {
        "vi": ", giảm {points} điểm % so với tháng trước",
        "en": ", {points} points down on last month",
    },
    "headline_same": {
        "vi": ", không đổi so với tháng trước",
        "en": ", unchanged from last month",
    },
    "unit_headline": {
        "vi": "Tỷ lệ lũy kế {rate} so với chỉ tiêu {target}: {status}.",
        "en": "Year-to-date rate {rate} against a target of {target}: {status}.",
    },
    "unit_rank": {
        "vi": "Xếp hạng {rank}/{ranked} trong nhóm {group}.",
        "en": "Ranked {rank} of {ranked} among {group}.",
    },
    "unit_no_rank": {
        "vi": "Không được xếp hạng (không có số liệu).",
        "en": "Not ranked (no data).",
    },
    "unit_needed": {
        "vi": "Để đạt chỉ tiêu cả năm, {months} tháng còn lại cần đạt tỷ lệ trực tuyến "
        "bình quân {rate}.",
        "en": "To meet the annual target, the remaining {months} months need an online "
        "rate of {rate} on average.",
    },
    "unit_out_of_reach": {
        "vi": "Chỉ tiêu cả năm không còn khả năng đạt: {months} tháng còn lại sẽ cần "
        "tỷ lệ trực tuyến {rate}.",
        "en": "The annual target is out of reach: the remaining {months} months would need "
        "an online rate of {rate}.",
    },
    "unit_year_over": {
        "vi": "Năm đã kết thúc; chỉ tiêu cả năm không đạt.",
        "en": "The year is over; the annual target was not met.",
    },
    "unit_met": {
        "vi": "Đơn vị đã đạt chỉ tiêu lũy kế; cần giữ tỷ lệ từ {target} trở lên.",
        "en": "The unit has met the target year to date; it needs to stay at {target} or above.",
    },
    "unit_no_data": {
        "vi": "Chưa có số liệu trong năm.",
        "en": "No data this year.",
    },
    "reconciliation_ok": {
        "vi": "Tổng số liệu đầu vào khớp với tổng của báo cáo.",
        "en": "Input totals equal report totals.",
    },
    "reconciliation_bad": {
        "vi": "Tổng số liệu đầu vào KHÔNG khớp với tổng của báo cáo.",
        "en": "Input totals DO NOT equal report totals.",
    },
    "coverage": {
        "vi": "Số liệu từ {first} đến {last}; {units} đơn vị có số liệu; {rows} dòng được sử dụng.",
        "en": "Counts from {first} to {last}; {units} units have rows; {rows} rows used.",
    },
    # chart titles
    "chart_ytd_vs_target": {
        "vi": "Tỷ lệ lũy kế so với chỉ tiêu {target}",
        "en": "Year-to-date rate against the {target} target",
    },
    "chart_shortfall": {
        "vi": "Số hồ sơ trực tuyến còn thiếu để đạt chỉ tiêu",
        "en": "Online dossiers short of the target",
    },
    "chart_heatmap": {
        "vi": "Tỷ lệ trực tuyến theo tháng, năm {year}",
        "en": "Monthly online rate, {year}",
    },
    "chart_province_trend": {
        "vi": "Tỷ lệ trực tuyến toàn tỉnh, năm {year}",
        "en": "Province online rate, {year}",
    },
    "chart_unit_rates": {
        "vi": "Tỷ lệ trong tháng và lũy kế so với chỉ tiêu, năm {year}",
        "en": "Monthly and year-to-date rate against the target, {year}",
    },
    "chart_unit_volumes": {
        "vi": "Số hồ sơ theo tháng: trực tuyến và trực tiếp, bưu chính",
        "en": "Dossiers by month: online and other",
    },
    "chart_rank": {
        "vi": "Xếp hạng trong nhóm theo tháng",
        "en": "Rank in group by month",
    },
    "chart_vs_median": {
        "vi": "Tỷ lệ lũy kế so với trung vị của nhóm",
        "en": "Year-to-date rate against the group median",
    },
    # targets of a year that are illustrative (data/README.md)
    "illustrative_targets_notice": {
        "vi": "Chỉ tiêu năm {year} trên trang này là chỉ tiêu minh họa (ILLUSTRATIVE), không phải "
        "chỉ tiêu được giao cho từng đơn vị; đánh giá theo chỉ tiêu này chỉ để tham khảo.",
        "en": "The {year} targets on this page are ILLUSTRATIVE, not targets assigned to each "
        "unit; statuses against them are for reference only.",
    },
    # on-time rate
    "headline_on_time": {
        "vi": " Tỷ lệ hồ sơ giải quyết đúng hạn lũy kế toàn tỉnh: {rate}.",
        "en": " The province resolved {rate} of its dossiers on time year-to-date.",
    },
    "unit_on_time": {
        "vi": "Tỷ lệ giải quyết đúng hạn: {month} {month_rate}, lũy kế {ytd_rate} "
        "(tỷ lệ trực tuyến: {month_online_rate} trong tháng, {ytd_online_rate} lũy kế).",
        "en": "On-time rate: {month_rate} in {month}, {ytd_rate} year-to-date "
        "(online rate: {month_online_rate} in the month, {ytd_online_rate} year-to-date).",
    },
    # year over year
    "section_yoy": {"vi": "So với cùng kỳ năm trước", "en": "Compared with a year earlier"},
    "no_year_earlier": {
        "vi": "Không có số liệu cùng kỳ năm trước ({month}).",
        "en": "No data a year earlier ({month}).",
    },
    "yoy_month_row": {"vi": "{month} so với {previous}", "en": "{month} against {previous}"},
    "yoy_ytd_row": {
        "vi": "Lũy kế đến {month} so với cùng kỳ",
        "en": "Year to date, {month}, against the same months a year earlier",
    },
    "yoy_province": {"vi": "Toàn tỉnh", "en": "Province"},
    "yoy_units": {"vi": "Từng đơn vị", "en": "Each unit"},
    "yoy_partial": {
        "vi": "Lũy kế chỉ được so sánh khi cả hai năm có đủ số liệu các tháng từ tháng 1.",
        "en": "Year-to-date figures are compared only when both years have every month "
        "from January.",
    },
    # communes
    "communes_title": {
        "vi": "Tỷ lệ hồ sơ trực tuyến cấp xã, {month}",
        "en": "Online dossier rate of the communes, {month}",
    },
    "section_communes": {
        "vi": "Các xã, phường, thị trấn",
        "en": "Communes",
    },
    "section_communes_below": {
        "vi": "Xã, phường, thị trấn chưa đạt chỉ tiêu lũy kế và số hồ sơ còn thiếu",
        "en": "Communes below their target year-to-date, and their shortfall",
    },
    "communes_headline": {
        "vi": "{met} trên {communes} xã, phường, thị trấn đạt chỉ tiêu lũy kế; {short} chưa đạt "
        "hoặc gần đạt; {no_data} không có số liệu.",
        "en": "{met} of {communes} communes met their target year-to-date; near or below it: "
        "{short}; no data: {no_data}.",
    },
    "communes_district_target": {
        "vi": "Huyện chưa giao chỉ tiêu cho các xã, phường, thị trấn: áp dụng chỉ tiêu của huyện "
        "({target}).",
        "en": "The district assigned its communes no targets: the district's own target "
        "({target}) applies.",
    },
    "communes_some_district_target": {
        "vi": "Xã, phường, thị trấn chưa được huyện giao chỉ tiêu áp dụng chỉ tiêu của huyện "
        "({target}).",
        "en": "Communes the district assigned no target take the district's own ({target}).",
    },
    "communes_no_target": {
        "vi": "Không có chỉ tiêu cho huyện và các xã, phường, thị trấn trong năm.",
        "en": "No target for the district or its communes this year.",
    },
    "communes_no_counts": {
        "vi": "Không có số liệu cấp xã cho báo cáo này.",
        "en": "No commune counts were given for this report.",
    },
    "communes_no_counts_district": {
        "vi": "Không có số liệu của các xã, phường, thị trấn thuộc huyện trong năm.",
        "en": "No counts for this district's communes this year.",
    },
    "no_communes_below": {
        "vi": "Mọi xã, phường, thị trấn có số liệu đều đã đạt chỉ tiêu lũy kế.",
        "en": "Every commune with data has met its target year to date.",
    },
    "communes_sample_notice": {
        "vi": "Số liệu cấp xã là dữ liệu mô phỏng (synthetic), kể cả chỉ tiêu huyện giao cho xã.",
        "en": "Commune figures are synthetic (dữ liệu mô phỏng), and so are the commune targets.",
    },
    "target_line": {"vi": "Chỉ tiêu", "en": "Target"},
    "unit_series": {"vi": "Đơn vị", "en": "Unit"},
    "group_median": {"vi": "Trung vị nhóm", "en": "Group median"},
    # KPI workbook (kpi_table.xlsx)
    "workbook_title": {
        "vi": "Tỷ lệ hồ sơ trực tuyến mức độ 3, 4 của các cơ quan, đơn vị, {month}",
        "en": "Online dossier rate (levels 3 and 4) by unit, {month}",
    },
    "workbook_note": {
        "vi": "Lũy kế từ {first} đến {month}. Tỷ lệ = hồ sơ trực tuyến / tổng số hồ sơ.",
        "en": "Year to date from {first} to {month}. Rate = online dossiers / all dossiers.",
    },
}

# The site's own frame: the report index, and every page's back link and footer.
SITE = {
    "back": {"vi": "← Mục lục báo cáo", "en": "← Report index"},
    "footer": {
        "vi": "Báo cáo tỷ lệ hồ sơ trực tuyến, tỉnh Hòa Bình",
        "en": "Online dossier rate report, Hòa Bình province",
    },
    "index_title": {
        "vi": "Báo cáo tỷ lệ hồ sơ trực tuyến, {month}",
        "en": "Online dossier rate report, {month}",
    },
    "built": {"vi": "Thời điểm lập báo cáo", "en": "Built at"},
    "pages": {"vi": "Các trang của báo cáo", "en": "Pages"},
    "overview": {"vi": "Tổng quan toàn tỉnh", "en": "Province overview"},
    "data_quality": {"vi": "Chất lượng số liệu", "en": "Data quality"},
    "communes": {"vi": "Các xã, phường, thị trấn", "en": "Communes"},
    "downloads": {"vi": "Tải về", "en": "Downloads"},
    "kpi_csv": {"vi": "Bảng chỉ số (CSV, UTF-8)", "en": "KPI table (CSV, UTF-8)"},
    "kpi_xlsx": {"vi": "Bảng chỉ số (Excel)", "en": "KPI table (Excel)"},
    "notebooks": {
        "vi": "Các sổ tay đã chạy (để kiểm tra lại)",
        "en": "Executed notebooks (for audit)",
    },
    "inputs": {"vi": "Tệp số liệu đầu vào", "en": "Input files"},
    "file": {"vi": "Tệp", "en": "File"},
    "rows": {"vi": "Số dòng", "en": "Rows"},
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    check_lang(lang)
    try:
        return table[key][lang]
    except KeyError:
        raise KeyError(f"no label for {key!r}") from None


def text(key: str, lang: str = "vi", **fields: object) -> str:
    """A sentence, heading or title; `fields` fill the template's `{...}` places."""
    return _pick(TEXT, key, lang).format(**fields)


def column(name: str, lang: str = "vi") -> str:
    """The header of a column of a tidy frame (KPI table, trends, data quality)."""
    return _pick(COLUMN, name, lang)


def status(name: str, lang: str = "vi") -> str:
    """met/near/below/no_data as readers call them: Đạt / Gần đạt / Chưa đạt / Không có số liệu."""
    return _pick(STATUS, name, lang)


def group(name: str, lang: str = "vi") -> str:
    """department/district as readers call them: Sở, ban, ngành / UBND huyện, thành phố."""
    return _pick(GROUP, name, lang)


def target_source(name: str, lang: str = "vi") -> str:
    """Whose target a commune is held to: assigned by the district, the district's own, none."""
    return _pick(TARGET_SOURCE, name, lang)


def site_labels(lang: str) -> dict[str, str]:
    """Every `SITE` word in one language, for the page and index templates (`t.back`, ...).

    An unknown language falls back to Vietnamese: the frame is still drawn.
    """
    lang = lang if lang in LANGS else "vi"
    return {key: words[lang] for key, words in SITE.items()}


# The store of submissions (issue 10): what was used as of which date, revisions, what arrived.
SITE.update(
    {
        "as_of": {
            "vi": "Số liệu nhận đến hết ngày",
            "en": "Figures received up to and including",
        },
        "as_of_now": {"vi": "Mọi số liệu đã nhận", "en": "Every figure received"},
    }
)
TEXT.update(
    {
        "section_store": {"vi": "Các tệp đã nhận được dùng", "en": "Submissions used"},
        "store_as_of": {
            "vi": "Báo cáo dùng các tệp nhận đến hết ngày {as_of} (trừ tệp đã rút).",
            "en": "The report uses the files received up to and including {as_of} "
            "(withdrawn files excepted).",
        },
        "store_now": {
            "vi": "Báo cáo dùng mọi tệp đã nhận (trừ tệp đã rút).",
            "en": "The report uses every file received (withdrawn files excepted).",
        },
        "section_revisions": {"vi": "Số liệu được gửi lại", "en": "Revised figures"},
        "no_revisions": {
            "vi": "Không có số liệu nào được gửi lại.",
            "en": "No figure was revised.",
        },
        "section_status": {"vi": "Số liệu đã nhận theo tháng", "en": "Figures received by month"},
        "status_missing": {
            "vi": "Chưa gửi số liệu {month}: {units}.",
            "en": "Not yet sent for {month}: {units}.",
        },
        "status_complete": {
            "vi": "Mọi đơn vị đã gửi số liệu {month}.",
            "en": "Every unit has sent {month}.",
        },
        "present": {"vi": "Đã nhận", "en": "Present"},
        "missing": {"vi": "Chưa có", "en": "Missing"},
        "revised": {"vi": "Gửi lại", "en": "Revised"},
    }
)
COLUMN.update(
    {
        "store_id": {"vi": "Số", "en": "No."},
        "received": {"vi": "Ngày nhận", "en": "Received"},
        "kind": {"vi": "Loại", "en": "Kind"},
        "note": {"vi": "Ghi chú", "en": "Note"},
        "revision_unit": {"vi": "Đơn vị", "en": "Unit"},
        "revision_month": {"vi": "Tháng", "en": "Month"},
        "field": {"vi": "Chỉ tiêu", "en": "Field"},
        "old": {"vi": "Cũ", "en": "Old"},
        "new": {"vi": "Mới", "en": "New"},
        "old_file": {"vi": "Tệp cũ", "en": "Old file"},
        "new_file": {"vi": "Tệp mới", "en": "New file"},
    }
)
