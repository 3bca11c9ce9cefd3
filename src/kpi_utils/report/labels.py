"""Every word a reader sees, in Vietnamese (`vi`, the default) and English (`en`).

The one place for wording: column headers, status and group names, chart titles, page headings,
notices, the sentence templates of headlines, the KPI workbook's title and note, and the words
of the site's own frame (`SITE`: report index, back link, footer). Templates use `str.format`
fields that the caller fills with already formatted values (see `fmt`). Code never spells a
label itself.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGS = ("vi", "en")

STATUS = {
    "met": {"vi": "Đạt", "en": "met"},
    "near": {"vi": "Gần đạt", "en": "near"},
    "below": {"vi": "Chưa đạt", "en": "below"},
    "no_data": {"vi": "Không có số liệu", "en": "no data"},
}

# The same codes once the target year has ended (December): a verdict, never "near" or "not yet"
# (DOMAIN.md §3, the year's result). The table's `status` codes do not change.
STATUS_CLOSED = {
    "met": {"vi": "Đạt", "en": "met"},
    "near": {"vi": "Không đạt", "en": "not met"},
    "below": {"vi": "Không đạt", "en": "not met"},
    "no_data": {"vi": "Không có số liệu", "en": "no data"},
}

# Chart legends of a closed year keep near and below apart (two colours), both "not met".
STATUS_CLOSED_LEGEND = {
    "met": {"vi": "Đạt", "en": "met"},
    "near": {"vi": "Không đạt (thấp hơn dưới 5 điểm %)", "en": "not met (by under 5 points)"},
    "below": {
        "vi": "Không đạt (thấp hơn từ 5 điểm % trở lên)",
        "en": "not met (by 5 points or more)",
    },
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
    "gap_pp": {
        "vi": "Chênh lệch so với chỉ tiêu (điểm %)",
        "en": "Difference from the target (points)",
    },
    "shortfall": {
        "vi": "Số hồ sơ trực tuyến còn thiếu",
        "en": "Online dossiers short of the target",
    },
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
    "median_ytd_rate": {
        "vi": "Trung vị tỷ lệ lũy kế của nhóm",
        "en": "Group median YTD rate",
    },
    "median_month_rate": {
        "vi": "Trung vị tỷ lệ trong tháng của nhóm",
        "en": "Group median month rate",
    },
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "other": {"vi": "Trực tiếp, qua dịch vụ bưu chính", "en": "In person or by post"},
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
    "rank_in_district": {"vi": "Xếp hạng trong huyện, thành phố", "en": "Rank in district"},
    # a year's result (December)
    "year_gap_pp": {"vi": "Thấp hơn chỉ tiêu (điểm %)", "en": "Below the target by (points)"},
}

TARGET_SOURCE = {
    "commune": {"vi": "Huyện, thành phố giao", "en": "Assigned by the district"},
    "district": {
        "vi": "Tạm áp dụng chỉ tiêu của huyện, thành phố",
        "en": "The district's own, applied for now",
    },
    "none": {"vi": "Không có", "en": "None"},
}

# The groups inside a sentence ("Xếp hạng 3/17 trong nhóm sở, ban, ngành.").
GROUP_IN_SENTENCE = {
    "department": {"vi": "sở, ban, ngành", "en": "departments"},
    "district": {"vi": "UBND huyện, thành phố", "en": "districts and city"},
}

# Nouns of the units' groups as a subtotal row names them.
GROUP_TOTAL = {
    "department": {"vi": "Cộng sở, ban, ngành", "en": "Departments, total"},
    "district": {"vi": "Cộng UBND huyện, thành phố", "en": "Districts and city, total"},
}

# The decision, cited as the department cites it. Its number is not in the source text (DOMAIN.md
# §1; tests/fixtures/decision_hoabinh_2022_online_targets.md): the department sets it once, as
# `[document] decision_number` in kpi-report.toml, and both the Word report and the pages' sources
# cite it; blank, the citation names the decision by its issuer, month and subject.
DECISION = {
    "numbered": {
        "vi": "Quyết định số {number}/QĐ-UBND tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình",
        "en": "Decision No. {number}/QĐ-UBND of February 2022 of the Chairman of the "
        "Hòa Bình Provincial People's Committee",
    },
    "unnumbered": {
        "vi": "Quyết định tháng 02/2022 của Chủ tịch UBND tỉnh Hòa Bình",
        "en": "the February 2022 decision of the Chairman of the Hòa Bình Provincial "
        "People's Committee",
    },
    "subject": {
        "vi": "về việc giao chỉ tiêu hồ sơ giải quyết trực tuyến mức độ 3, mức độ 4 cho các "
        "Sở, Ban, Ngành, Ủy ban nhân dân các huyện, thành phố năm 2022 trên địa bàn tỉnh Hòa Bình",
        "en": "assigning 2022 targets for dossiers handled online at levels 3 and 4 to the "
        "departments and the districts and city of Hòa Bình province",
    },
}

TEXT = {
    # page headings and sections
    "overview_title": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 của các sở, ban, ngành, "
        "UBND các huyện, thành phố tỉnh Hòa Bình, {month}",
        "en": "Dossiers handled online at levels 3 and 4, departments and districts of "
        "Hòa Bình province, {month}",
    },
    "data_quality_title": {
        "vi": "Chất lượng số liệu, {month}",
        "en": "Data quality, {month}",
    },
    "unit_title": {"vi": "{unit}, {month}", "en": "{unit}, {month}"},
    "sample_notice": {
        "vi": "Dữ liệu mô phỏng: các số liệu trong báo cáo này được tạo ngẫu nhiên để minh họa, "
        "không phải số liệu thật của các cơ quan, đơn vị.",
        "en": "Synthetic data: the figures in this report are generated for illustration; "
        "they are not real counts of any unit.",
    },
    "sample_notice_table": {
        "vi": "Dữ liệu mô phỏng: các số liệu trong bảng này được tạo ngẫu nhiên để minh họa, "
        "không phải số liệu thật của các cơ quan, đơn vị.",
        "en": "Synthetic data: the figures in this table are generated for illustration; "
        "they are not real counts of any unit.",
    },
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "none": {"vi": "Không có", "en": "None"},
    # the sum over the units is not the whole province (DOMAIN.md §3)
    "total_row": {"vi": "Tổng cộng {units} cơ quan, đơn vị", "en": "Total, {units} units"},
    "ytd_period": {"vi": "Lũy kế đến hết {month}", "en": "Year to date, through {month}"},
    "error": {"vi": "Lỗi", "en": "Error"},
    "warning": {"vi": "Cảnh báo", "en": "Warning"},
    "no_warnings": {"vi": "Không có cảnh báo.", "en": "No warnings."},
    "no_units_below": {
        "vi": "Tất cả cơ quan, đơn vị có số liệu đều đạt chỉ tiêu lũy kế.",
        "en": "Every unit with data has met the target year to date.",
    },
    "no_units_short_year": {
        "vi": "Tất cả cơ quan, đơn vị có số liệu đều hoàn thành chỉ tiêu năm {year}.",
        "en": "Every unit with data met the {year} target.",
    },
    "no_changes": {
        "vi": "Chưa có tháng trước trong năm để so sánh.",
        "en": "No earlier month this year to compare with.",
    },
    "out_of_reach_mark": {"vi": "Không thể đạt", "en": "Out of reach"},
    # section headings
    "section_kpi_table": {
        "vi": "Kết quả theo nhóm, xếp hạng theo tỷ lệ lũy kế",
        "en": "Results by group, ranked by year-to-date rate",
    },
    "section_movers": {
        "vi": "Cơ quan, đơn vị có tỷ lệ trong tháng thay đổi nhiều nhất so với tháng trước",
        "en": "Units whose month rate changed most since last month",
    },
    "section_needed": {
        "vi": "Tỷ lệ cần đạt trong các tháng còn lại của năm",
        "en": "Rate needed in the remaining months of the year",
    },
    "needed_note": {
        "vi": "Giả định mỗi cơ quan, đơn vị giữ số hồ sơ bình quân mỗi tháng như từ đầu năm; "
        "“Không thể đạt” khi tỷ lệ cần đạt vượt 100%.",
        "en": "Assumes each unit keeps its average monthly number of dossiers so far; "
        "“Out of reach” when the rate needed exceeds 100%.",
    },
    "section_year_result": {
        "vi": "Kết quả thực hiện chỉ tiêu năm {year}",
        "en": "Result against the {year} target",
    },
    "year_result_intro": {
        "vi": "Các cơ quan, đơn vị không hoàn thành chỉ tiêu năm {year}, "
        "theo số hồ sơ trực tuyến còn thiếu:",
        "en": "Units that did not meet the {year} target, by online dossiers short:",
    },
    "section_files": {"vi": "Tệp số liệu đã đọc", "en": "Files read"},
    "section_unit_files": {
        "vi": "Số liệu của các cơ quan, đơn vị",
        "en": "Counts of the units",
    },
    "section_commune_files": {
        "vi": "Số liệu của các xã, phường, thị trấn",
        "en": "Counts of the communes",
    },
    "section_coverage": {
        "vi": "Tháng và cơ quan, đơn vị có số liệu",
        "en": "Months and units covered",
    },
    "section_warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "section_reconciliation": {
        "vi": "Đối chiếu tổng số liệu đầu vào với báo cáo",
        "en": "Reconciliation: input totals against report totals",
    },
    "section_monthly": {"vi": "Số liệu từng tháng", "en": "Month by month"},
    "section_outlook": {"vi": "Các tháng còn lại", "en": "The rest of the year"},
    # headline sentences: the count clause, then what the rate is
    "headline": {
        "vi": "{met}; tỷ lệ lũy kế của {units} cơ quan, đơn vị là {rate}{change}.",
        "en": "{met}; the year-to-date rate of the {units} units is {rate}{change}.",
    },
    "headline_year": {
        "vi": "{met}; tỷ lệ lũy kế năm {year} của {units} cơ quan, đơn vị là {rate}{change}.",
        "en": "{met}; the {year} rate of the {units} units is {rate}{change}.",
    },
    "met_none": {
        "vi": "Chưa có cơ quan, đơn vị nào đạt chỉ tiêu lũy kế từ đầu năm",
        "en": "No unit has met the target year to date",
    },
    "met_some": {
        "vi": "{met} trong tổng số {units} cơ quan, đơn vị đạt chỉ tiêu lũy kế từ đầu năm",
        "en": "{met} of {units} units met the target year to date",
    },
    "met_all": {
        "vi": "Cả {units} cơ quan, đơn vị đều đạt chỉ tiêu lũy kế từ đầu năm",
        "en": "All {units} units met the target year to date",
    },
    "met_year_none": {
        "vi": "Năm {year}, không có cơ quan, đơn vị nào đạt chỉ tiêu",
        "en": "In {year}, no unit met the target",
    },
    "met_year_some": {
        "vi": "Năm {year}, {met} trong tổng số {units} cơ quan, đơn vị đạt chỉ tiêu",
        "en": "In {year}, {met} of {units} units met the target",
    },
    "met_year_all": {
        "vi": "Năm {year}, cả {units} cơ quan, đơn vị đều đạt chỉ tiêu",
        "en": "In {year}, all {units} units met the target",
    },
    "headline_up": {
        "vi": ", tăng {points} điểm phần trăm so với lũy kế đến hết {previous}",
        "en": ", {points} percentage points up on the year to date through {previous}",
    },
    "headline_down": {
        "vi": ", giảm {points} điểm phần trăm so với lũy kế đến hết {previous}",
        "en": ", {points} percentage points down on the year to date through {previous}",
    },
    "headline_same": {
        "vi": ", không đổi so với lũy kế đến hết {previous}",
        "en": ", unchanged from the year to date through {previous}",
    },
    "unit_headline": {
        "vi": "Tỷ lệ lũy kế {rate}, chỉ tiêu {target}: {status}.",
        "en": "Year-to-date rate {rate}, target {target}: {status}.",
    },
    "unit_headline_year": {
        "vi": "Tỷ lệ lũy kế năm {year} là {rate}, chỉ tiêu {target}: {status}.",
        "en": "The {year} rate is {rate}, target {target}: {status}.",
    },
    "verdict_not_met": {
        "vi": "Không đạt, thấp hơn chỉ tiêu {points} điểm phần trăm",
        "en": "not met, {points} percentage points below the target",
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
        "vi": "Để đạt chỉ tiêu năm, tỷ lệ trực tuyến bình quân của {months} tháng còn lại "
        "cần đạt {rate}.",
        "en": "To meet the annual target, the online rate of the months left ({months}) "
        "needs to average {rate}.",
    },
    "unit_out_of_reach": {
        "vi": "Chỉ tiêu năm không còn khả năng đạt: {months} tháng còn lại sẽ cần "
        "tỷ lệ trực tuyến {rate}.",
        "en": "The annual target is out of reach: the months left ({months}) would need "
        "an online rate of {rate}.",
    },
    "unit_met": {
        "vi": "Đơn vị đã đạt chỉ tiêu lũy kế; cần duy trì tỷ lệ lũy kế từ {target} trở lên "
        "đến hết năm.",
        "en": "The unit has met the target year to date; its year-to-date rate needs to stay "
        "at {target} or above until the end of the year.",
    },
    "unit_year_met": {
        "vi": "Đơn vị đã hoàn thành chỉ tiêu năm {year}: tỷ lệ lũy kế cả năm {rate}, "
        "chỉ tiêu {target}.",
        "en": "The unit met the {year} target: {rate} for the year, against {target}.",
    },
    "unit_year_not_met": {
        "vi": "Đơn vị không hoàn thành chỉ tiêu năm {year}: tỷ lệ lũy kế cả năm {rate}, "
        "thấp hơn chỉ tiêu {target} là {points} điểm phần trăm; còn thiếu {shortfall} "
        "hồ sơ trực tuyến.",
        "en": "The unit did not meet the {year} target: {rate} for the year, {points} "
        "percentage points below {target}; {shortfall} online dossiers short.",
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
        "vi": "Số liệu từ {first} đến {last}; {units} cơ quan, đơn vị có số liệu; "
        "{rows} dòng được sử dụng.",
        "en": "Counts from {first} to {last}; {units} units have rows; {rows} rows used.",
    },
    "commune_coverage": {
        "vi": "Số liệu từ {first} đến {last}; {communes} xã, phường, thị trấn có số liệu; "
        "{rows} dòng được sử dụng.",
        "en": "Counts from {first} to {last}; {communes} communes have rows; {rows} rows used.",
    },
    "no_commune_files": {
        "vi": "Báo cáo này không sử dụng số liệu cấp xã.",
        "en": "This report uses no commune counts.",
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
    "heatmap_note": {
        "vi": "Ô để trống: cơ quan, đơn vị không phát sinh hồ sơ trong tháng.",
        "en": "An empty cell: the unit had no dossiers that month.",
    },
    "chart_province_trend": {
        "vi": "Tỷ lệ trực tuyến của {units} cơ quan, đơn vị (tổng cộng), năm {year}",
        "en": "Online rate of the {units} units together, {year}",
    },
    "chart_unit_rates": {
        "vi": "Tỷ lệ trong tháng và lũy kế so với chỉ tiêu, năm {year}",
        "en": "Monthly and year-to-date rate against the target, {year}",
    },
    "chart_unit_volumes": {
        "vi": "Số hồ sơ theo tháng: trực tuyến; trực tiếp, qua dịch vụ bưu chính",
        "en": "Dossiers by month: online, and in person or by post",
    },
    "chart_rank": {
        "vi": "Xếp hạng trong nhóm theo tháng",
        "en": "Rank in group by month",
    },
    "chart_measure": {"vi": "Chỉ số", "en": "Measure"},
    "chart_units_compared": {
        "vi": "Tỷ lệ lũy kế của các cơ quan, đơn vị được so sánh",
        "en": "Year-to-date rates of the units compared",
    },
    "chart_brush": {
        "vi": "Kéo chuột trên dải này để chọn khoảng tháng",
        "en": "Drag across this strip to pick a range of months",
    },
    "chart_explorer": {
        "vi": "Tỷ lệ trực tuyến của một cơ quan, đơn vị so với chỉ tiêu",
        "en": "One unit's online rate against its target",
    },
    "chart_vs_median": {
        "vi": "Tỷ lệ lũy kế so với trung vị tỷ lệ lũy kế của nhóm",
        "en": "Year-to-date rate against the group median",
    },
    # targets of a year that are illustrative (data/README.md)
    "illustrative_targets_notice": {
        "vi": "Chỉ tiêu năm {year} trên trang này chỉ dùng để minh họa, không phải chỉ tiêu được "
        "giao cho từng cơ quan, đơn vị; kết quả đánh giá theo chỉ tiêu này chỉ để tham khảo.",
        "en": "The {year} targets on this page are for illustration only, not targets assigned "
        "to each unit; results against them are for reference only.",
    },
    # on-time rate
    "headline_on_time": {
        "vi": " Tỷ lệ hồ sơ giải quyết đúng hạn lũy kế của {units} cơ quan, đơn vị: {rate}.",
        "en": " The {units} units resolved {rate} of their dossiers on time year to date.",
    },
    "unit_on_time": {
        "vi": "Tỷ lệ giải quyết đúng hạn: {month} {month_rate}, lũy kế {ytd_rate} "
        "(tỷ lệ trực tuyến: {month_online_rate} trong tháng, {ytd_online_rate} lũy kế).",
        "en": "On-time rate: {month_rate} in {month}, {ytd_rate} year to date "
        "(online rate: {month_online_rate} in the month, {ytd_online_rate} year to date).",
    },
    # year over year
    "section_yoy": {"vi": "So với cùng kỳ năm trước", "en": "Compared with a year earlier"},
    "no_year_earlier": {
        "vi": "Không có số liệu cùng kỳ năm trước ({month}).",
        "en": "No data a year earlier ({month}).",
    },
    "yoy_month_row": {"vi": "{month} so với {previous}", "en": "{month} against {previous}"},
    "yoy_ytd_row": {
        "vi": "Lũy kế đến hết {month} so với cùng kỳ năm trước",
        "en": "Year to date, {month}, against the same months a year earlier",
    },
    "yoy_province": {"vi": "Tổng cộng {units} cơ quan, đơn vị", "en": "Total, {units} units"},
    "yoy_units": {"vi": "Từng cơ quan, đơn vị", "en": "Each unit"},
    "yoy_partial": {
        "vi": "Lũy kế chỉ được so sánh khi cả hai năm có đủ số liệu các tháng từ tháng 1.",
        "en": "Year-to-date figures are compared only when both years have every month "
        "from January.",
    },
    "yoy_like_for_like": {
        "vi": "Toàn tỉnh chỉ so sánh các đơn vị có số liệu ở cả hai năm; không tính: {units}.",
        "en": "The province compares only the units with data in both years; left out: {units}.",
    },
    # communes
    "communes_title": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 của các xã, phường, thị trấn, {month}",
        "en": "Dossiers handled online at levels 3 and 4, communes, {month}",
    },
    "section_communes": {
        "vi": "Các {wards}",
        "en": "Communes",
    },
    "communes_intro": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến của các {wards} thuộc {district}, so với chỉ "
        "tiêu {kind} giao cho {wards} (Điều 2 của Quyết định); đánh giá và xếp hạng theo tỷ lệ "
        "lũy kế.",
        "en": "The online rate of the communes of {district}, against the targets the district "
        "assigns them (Article 2 of the decision); status and rank use the year-to-date rate.",
    },
    "section_communes_below": {
        "vi": "{Wards} chưa đạt chỉ tiêu lũy kế và số hồ sơ trực tuyến còn thiếu",
        "en": "Communes below their target year to date, and their shortfall",
    },
    "section_communes_below_year": {
        "vi": "{Wards} không đạt chỉ tiêu năm {year} và số hồ sơ trực tuyến còn thiếu",
        "en": "Communes that did not meet their {year} target, and their shortfall",
    },
    # commune headline: clauses joined by "; ", a zero clause left out
    "communes_met_none": {
        "vi": "Chưa có {wards} nào đạt chỉ tiêu lũy kế",
        "en": "No commune has met its target year to date",
    },
    "communes_met_some": {
        "vi": "{met} trong tổng số {communes} {wards} đạt chỉ tiêu lũy kế",
        "en": "{met} of {communes} communes met their target year to date",
    },
    "communes_met_all": {
        "vi": "Cả {communes} {wards} đều đạt chỉ tiêu lũy kế",
        "en": "All {communes} communes met their target year to date",
    },
    "communes_short": {
        "vi": "{short} {wards} chưa đạt",
        "en": "below it: {short}",
    },
    "communes_short_near": {
        "vi": "{short} {wards} chưa đạt, trong đó {near} gần đạt",
        "en": "below it: {short}, of which near it: {near}",
    },
    "communes_year_met_none": {
        "vi": "Năm {year}, không có {wards} nào đạt chỉ tiêu",
        "en": "In {year}, no commune met its target",
    },
    "communes_year_met_some": {
        "vi": "Năm {year}, {met} trong tổng số {communes} {wards} đạt chỉ tiêu",
        "en": "In {year}, {met} of {communes} communes met their target",
    },
    "communes_year_met_all": {
        "vi": "Năm {year}, cả {communes} {wards} đều đạt chỉ tiêu",
        "en": "In {year}, all {communes} communes met their target",
    },
    "communes_year_short": {
        "vi": "{short} {wards} không đạt",
        "en": "not met: {short}",
    },
    "communes_no_data_clause": {
        "vi": "{no_data} {wards} không có số liệu",
        "en": "no data: {no_data}",
    },
    "communes_total": {
        "vi": "Cộng {communes} {wards}",
        "en": "Total, {communes} communes",
    },
    # the fallback is this report's convention, not the decision's (Điều 2 only tells districts
    # to assign targets); the data cannot show that a district failed to assign any
    "communes_district_target": {
        "vi": "Chưa có số liệu chỉ tiêu {kind} giao cho các {wards}; theo quy ước của báo cáo "
        "này, tạm áp dụng chỉ tiêu của {kind} ({target}).",
        "en": "No targets assigned by the district to its communes are on record; by this "
        "report's convention, the district's own target ({target}) is applied for now.",
    },
    "communes_some_district_target": {
        "vi": "{Wards} chưa có số liệu chỉ tiêu được giao: theo quy ước của báo cáo này, "
        "tạm áp dụng chỉ tiêu của {kind} ({target}).",
        "en": "Communes with no assigned target on record: by this report's convention, the "
        "district's own target ({target}) is applied for now.",
    },
    "communes_no_target": {
        "vi": "Không có chỉ tiêu của {kind} và các {wards} trong năm.",
        "en": "No target for the district or its communes this year.",
    },
    "communes_no_counts": {
        "vi": "Không có số liệu cấp xã cho báo cáo này.",
        "en": "No commune counts were given for this report.",
    },
    "communes_no_counts_district": {
        "vi": "Không có số liệu của các {wards} thuộc {district} trong năm.",
        "en": "No counts for the communes of {district} this year.",
    },
    "no_communes_below": {
        "vi": "Tất cả {wards} có số liệu đều đạt chỉ tiêu lũy kế.",
        "en": "Every commune with data has met its target year to date.",
    },
    "communes_sample_notice": {
        "vi": "Số liệu cấp xã, kể cả chỉ tiêu huyện, thành phố giao cho xã, phường, thị trấn, "
        "là dữ liệu mô phỏng.",
        "en": "Commune figures, and the targets districts assign to communes, are synthetic.",
    },
    "target_line": {"vi": "Chỉ tiêu", "en": "Target"},
    "target_line_each": {
        "vi": "Chỉ tiêu giao cho từng đơn vị",
        "en": "Target assigned to each unit",
    },
    "unit_series": {"vi": "Đơn vị", "en": "Unit"},
    "group_median": {"vi": "Trung vị của nhóm", "en": "Group median"},
    # definitions, sources and cut-off (the foot of every page)
    "section_sources": {
        "vi": "Định nghĩa và nguồn số liệu",
        "en": "Definitions and sources",
    },
    "definition_rate": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến: số hồ sơ trực tuyến thuộc danh mục thủ tục "
        "hành chính được công bố thực hiện trực tuyến mức độ 3, mức độ 4 phát sinh trên tổng số "
        "hồ sơ giải quyết thủ tục hành chính của cơ quan, đơn vị (Điều 1, {decision} {subject}). "
        "Chỉ tiêu là chỉ tiêu năm, nên đánh giá và xếp hạng theo tỷ lệ lũy kế từ tháng 1.",
        "en": "Online rate: the online dossiers of the procedures published for levels 3 and 4 "
        "divided by all administrative-procedure dossiers the unit handled (Article 1 of "
        "{decision} {subject}). The target is annual, so status and rank use the rate from "
        "January.",
    },
    "definition_status": {
        "vi": "Đạt: tỷ lệ lũy kế bằng hoặc cao hơn chỉ tiêu. Gần đạt: thấp hơn chỉ tiêu dưới "
        "5 điểm phần trăm. Chưa đạt: thấp hơn chỉ tiêu từ 5 điểm phần trăm trở lên.",
        "en": "Met: the year-to-date rate is at or above the target. Near: below it by less "
        "than 5 percentage points. Below: by 5 points or more.",
    },
    "definition_status_year": {
        "vi": "Tháng 12 là kết quả cả năm. Đạt: tỷ lệ lũy kế cả năm bằng hoặc cao hơn chỉ "
        "tiêu. Không đạt: thấp hơn chỉ tiêu. Ở các tháng trước, gần đạt là thấp hơn chỉ tiêu "
        "dưới 5 điểm phần trăm.",
        "en": "December is the year's result. Met: the rate for the year is at or above the "
        "target. Not met: below it. In earlier months, near means below by less than 5 points.",
    },
    "definition_missing": {
        "vi": "Dấu “–” trong bảng và ô để trống trong biểu đồ theo tháng: không phát sinh hồ "
        "sơ, không tính được tỷ lệ.",
        "en": "“–” in a table and an empty cell of the monthly chart: no dossiers, so no rate.",
    },
    "definition_levels": {
        "vi": "Mức độ 3, mức độ 4: theo Nghị định số 42/2022/NĐ-CP, mức độ 3 tương ứng dịch vụ "
        "công trực tuyến một phần, mức độ 4 tương ứng dịch vụ công trực tuyến toàn trình.",
        "en": "Levels 3 and 4: under Decree 42/2022/NĐ-CP, level 3 corresponds to a partly "
        "online public service and level 4 to a fully online one.",
    },
    "source_data": {
        "vi": "Nguồn số liệu: Hệ thống thông tin giải quyết thủ tục hành chính (một cửa điện "
        "tử) của tỉnh; báo cáo theo Biểu số 06/VPCP/KSTT và tệp xuất hồ sơ của các cơ quan, "
        "đơn vị. Số liệu tính đến hết ngày {cutoff}.",
        "en": "Source: the province's one-stop administrative-procedure system; Form 06/VPCP/KSTT "
        "reports and dossier exports of the units. Figures up to and including {cutoff}.",
    },
    # KPI workbook (kpi_table.xlsx)
    "workbook_title": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 của các cơ quan, đơn vị, {month}",
        "en": "Dossiers handled online at levels 3 and 4 by unit, {month}",
    },
    "workbook_note": {
        "vi": "Lũy kế từ {first} đến hết {month}. Tỷ lệ = số hồ sơ trực tuyến / tổng số hồ sơ.",
        "en": "Year to date from {first} through {month}. Rate = online dossiers / all dossiers.",
    },
    # what each chart shows, in words (its caption and accessible description)
    "chart_table": {"vi": "Số liệu của biểu đồ", "en": "The chart's figures"},
    "chart_ytd_desc": {
        "vi": "Tỷ lệ lũy kế của từng cơ quan, đơn vị so với chỉ tiêu ({counts}); cao nhất: {top} "
        "({top_rate}); thấp nhất: {bottom} ({bottom_rate}). Số liệu ở bảng “{table}” phía trên.",
        "en": "Each unit's year-to-date rate against its target ({counts}); highest: {top} "
        "({top_rate}); lowest: {bottom} ({bottom_rate}). The figures are in the table "
        "“{table}” above.",
    },
    "chart_shortfall_desc": {
        "vi": "{units} cơ quan, đơn vị chưa đủ số hồ sơ trực tuyến để đạt chỉ tiêu; thiếu nhiều "
        "nhất: {unit} ({count} hồ sơ). Số liệu ở cột “{column}” của bảng “{table}” phía trên.",
        "en": "{units} units are short of online dossiers for the target; the largest shortfall: "
        "{unit} ({count} dossiers). The figures are in the column “{column}” of the table "
        "“{table}” above.",
    },
    "chart_heatmap_desc": {
        "vi": "Tỷ lệ trong tháng của {units} cơ quan, đơn vị, từng tháng từ {first} đến {last}; "
        "màu đỏ: thấp hơn chỉ tiêu, màu xanh: cao hơn chỉ tiêu. Số liệu ở bảng ngay dưới biểu đồ.",
        "en": "The month rate of the {units} units in each month from {first} to {last}; red "
        "below the target, green above it. The figures are in the table just below the chart.",
    },
    "chart_trend_desc": {
        "vi": "Tỷ lệ trong tháng và tỷ lệ lũy kế của tổng {units} cơ quan, đơn vị, từng tháng từ "
        "{first} đến {last}; lũy kế đến hết {last}: {rate}. Số liệu ở bảng ngay dưới biểu đồ.",
        "en": "The month rate and the year-to-date rate of the {units} units together, each "
        "month from {first} to {last}; year to date through {last}: {rate}. The figures are in "
        "the table just below the chart.",
    },
    "chart_unit_rates_desc": {
        "vi": "Tỷ lệ trong tháng và tỷ lệ lũy kế của {unit}, từng tháng từ {first} đến {last}, so "
        "với chỉ tiêu {target}; lũy kế đến hết {last}: {rate}. Số liệu ở bảng “{table}” phía "
        "dưới.",
        "en": "The month rate and the year-to-date rate of {unit}, each month from {first} to "
        "{last}, against the target {target}; year to date through {last}: {rate}. The figures "
        "are in the table “{table}” below.",
    },
    "chart_unit_volumes_desc": {
        "vi": "Số hồ sơ của {unit} từng tháng từ {first} đến {last}, trực tuyến và không trực "
        "tuyến; lũy kế: {total} hồ sơ, trong đó {online} hồ sơ trực tuyến. Số liệu ở bảng "
        "“{table}” phía dưới.",
        "en": "The dossiers of {unit} each month from {first} to {last}, online and otherwise; "
        "year to date: {total} dossiers, {online} of them online. The figures are in the table "
        "“{table}” below.",
    },
    "chart_unit_rank_desc": {
        "vi": "Thứ hạng của {unit} trong nhóm theo tỷ lệ lũy kế, từng tháng từ {first} đến "
        "{last}; {last}: {rank}. Số liệu ở bảng “{table}” phía dưới.",
        "en": "The rank of {unit} in its group by year-to-date rate, each month from {first} to "
        "{last}; {last}: {rank}. The figures are in the table “{table}” below.",
    },
    "chart_unit_median_desc": {
        "vi": "Tỷ lệ lũy kế của {unit} so với trung vị của nhóm, từng tháng từ {first} đến "
        "{last}; {last}: {rate}, trung vị của nhóm: {median}. Số liệu ở bảng “{table}” phía dưới.",
        "en": "The year-to-date rate of {unit} against its group's median, each month from "
        "{first} to {last}; {last}: {rate}, group median: {median}. The figures are in the "
        "table “{table}” below.",
    },
    # the notebooks' narrative: one paragraph per key, shown by `Page.text` (page.text("key"))
    "overview_intro": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 của 17 sở, ban, ngành và 10 huyện, thành"
        " phố so với chỉ tiêu năm được giao (năm 2022: 55% cho từng cơ quan, đơn vị, theo Quyết"
        " định của Chủ tịch UBND tỉnh); chỉ tiêu năm 2021 trong dữ liệu mẫu chỉ dùng để minh "
        "họa. Khi số liệu có số hồ sơ đã giải quyết, bảng có thêm tỷ lệ giải quyết đúng hạn.",
        "en": "The share of dossiers handled online at levels 3 and 4 by the 17 departments and 10 "
        "districts and city, against the annual target assigned to each (2022: 55%, by the "
        "decision of the Chairman of the Provincial People's Committee); the sample's 2021 "
        "targets are for illustration only. Where the counts carry resolved dossiers, the table"
        " adds the on-time rate.",
    },
    "overview_ytd_note": {
        "vi": "Tỷ lệ lũy kế tính từ tháng 1 đến tháng báo cáo; đánh giá và xếp hạng theo tỷ lệ lũy kế"
        " (chỉ tiêu là chỉ tiêu năm).",
        "en": "Year-to-date runs from January through the report month; status and rank use the year-"
        "to-date rate, as the target is annual.",
    },
    "overview_target_mark": {
        "vi": "Vạch đen: chỉ tiêu giao cho từng cơ quan, đơn vị.",
        "en": "Black mark: the target assigned to each unit.",
    },
    "overview_shortfall_note": {
        "vi": "Số hồ sơ trực tuyến tối thiểu còn thiếu để tỷ lệ lũy kế đạt chỉ tiêu; cơ quan, đơn vị "
        "thiếu nhiều nhất ở trên cùng.",
        "en": "The fewest extra online dossiers that would have put the year-to-date rate on target; "
        "the largest shortfall first.",
    },
    "overview_movers_note": {
        "vi": "So sánh tỷ lệ trong tháng với tháng trước; cơ quan, đơn vị có ít hồ sơ thường biến "
        "động mạnh.",
        "en": "Month rate against the month before; units with few dossiers swing widely.",
    },
    "overview_yoy_note": {
        "vi": "So sánh với cùng tháng và cùng kỳ lũy kế của năm trước, khi có số liệu năm trước; số "
        "liệu lũy kế chỉ được so sánh khi cả hai năm có đủ số liệu các tháng từ tháng 1.",
        "en": "The month and the year to date against the same month and months a year earlier, where"
        " there is data; year-to-date figures are compared only when both years have every "
        "month from January.",
    },
    "quality_intro": {
        "vi": "Các tệp số liệu đã đọc (của cơ quan, đơn vị và của xã, phường, thị trấn), các tháng và"
        " cơ quan, đơn vị có số liệu, các cảnh báo, và kết quả đối chiếu tổng số liệu đầu vào "
        "với tổng của báo cáo.",
        "en": "Files read (of the units and of the communes), months and units covered, every "
        "warning, and a reconciliation of input totals with report totals.",
    },
    "quality_sha256_note": {
        "vi": "Mã SHA-256 xác định chính xác nội dung của từng tệp đã sử dụng.",
        "en": "The SHA-256 identifies the exact content of each file used.",
    },
    "quality_store_note": {
        "vi": "Khi báo cáo được lập từ kho tệp đã nhận: các tệp đã dùng, số liệu được gửi lại (tệp "
        "nhận sau được dùng) và số liệu từng cơ quan, đơn vị đã gửi theo tháng.",
        "en": "For a report built from the store of submissions: the files used, the figures "
        "resent (the file received later counts) and what each unit has sent month by month.",
    },
    "quality_warnings_note": {
        "vi": "Số liệu có lỗi thì báo cáo không được lập; trang này chỉ liệt kê các cảnh báo.",
        "en": "Inputs with errors stop the report; this page lists only warnings.",
    },
    "quality_totals_note": {
        "vi": "Tổng số liệu đầu vào được cộng trực tiếp từ các dòng đã đọc, độc lập với cách tính chỉ"
        " số.",
        "en": "Input totals are summed straight from the rows read, independently of the KPI "
        "arithmetic.",
    },
    "unit_intro": {
        "vi": "Kết quả của cơ quan, đơn vị qua các tháng: tỷ lệ trong tháng và lũy kế, số hồ sơ, xếp "
        "hạng trong nhóm, so sánh với trung vị của nhóm, và tỷ lệ cần đạt trong các tháng còn "
        "lại (tháng 12: kết quả thực hiện chỉ tiêu năm).",
        "en": "One unit through the year: monthly and year-to-date rate, dossiers, rank in its group,"
        " the group median, and the rate it needs for the rest of the year (December: the "
        "year's result).",
    },
    "unit_rank_note": {
        "vi": "Xếp hạng theo tỷ lệ lũy kế trong nhóm; hạng 1 là cao nhất.",
        "en": "Rank by year-to-date rate within the group; 1 is highest.",
    },
    "communes_page_intro": {
        "vi": "Tỷ lệ hồ sơ giải quyết trực tuyến của 151 xã, phường, thị trấn (theo Danh mục đơn vị "
        "hành chính Việt Nam của Tổng cục Thống kê), theo từng huyện, thành phố, so với chỉ "
        "tiêu huyện, thành phố giao cho xã, phường, thị trấn (Điều 2 của Quyết định). Xã, "
        "phường, thị trấn chưa có số liệu chỉ tiêu được giao thì tạm áp dụng chỉ tiêu của "
        "huyện, thành phố; đây là quy ước của báo cáo này, được ghi ở dòng tên huyện, thành "
        "phố.",
        "en": "The online rate of the 151 communes (the General Statistics Office's list of "
        "administrative units), district by district, against the targets districts assign to "
        "their communes (Article 2 of the decision); a commune with no assigned target on "
        "record is held, by this report's convention, to its district's own target, as the "
        "district's row says.",
    },
    "communes_status_note": {
        "vi": "Đánh giá và xếp hạng trong huyện, thành phố theo tỷ lệ lũy kế, như với cơ quan, đơn "
        "vị.",
        "en": "Status and rank within the district use the year-to-date rate, as for units.",
    },
    "communes_shortfall_note": {
        "vi": "Số hồ sơ trực tuyến còn thiếu: số hồ sơ trực tuyến tối thiểu cần có thêm để tỷ lệ lũy "
        "kế đạt chỉ tiêu.",
        "en": "Shortfall: the fewest extra online dossiers that would have put the year-to-date rate "
        "on target.",
    },
}

# The site's own frame: the report index, and every page's back link and footer.
SITE = {
    "back": {"vi": "← Mục lục báo cáo", "en": "← Report index"},
    "footer": {
        "vi": "Sở Thông tin và Truyền thông tỉnh Hòa Bình · Báo cáo tỷ lệ hồ sơ giải quyết "
        "trực tuyến mức độ 3, 4",
        "en": "Department of Information and Communications of Hòa Bình province · Report on "
        "dossiers handled online at levels 3 and 4",
    },
    "chart": {"vi": "Biểu đồ", "en": "Chart"},
    "index_title": {
        "vi": "Báo cáo tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4, {month}",
        "en": "Report on dossiers handled online at levels 3 and 4, {month}",
    },
    "built": {"vi": "Thời điểm lập báo cáo", "en": "Built at"},
    "pages": {"vi": "Các trang của báo cáo", "en": "Pages"},
    "overview": {
        "vi": "Tổng hợp các sở, ban, ngành, UBND các huyện, thành phố",
        "en": "Overview of the departments and districts",
    },
    "data_quality": {"vi": "Chất lượng số liệu", "en": "Data quality"},
    "communes": {"vi": "Các xã, phường, thị trấn", "en": "Communes"},
    "downloads": {"vi": "Tải về", "en": "Downloads"},
    "report_docx": {
        "vi": "Dự thảo báo cáo gửi UBND tỉnh (Word)",
        "en": "Draft report to the Provincial People's Committee (Word, Vietnamese)",
    },
    "kpi_csv": {"vi": "Bảng chỉ số (CSV, UTF-8)", "en": "KPI table (CSV, UTF-8)"},
    "kpi_xlsx": {"vi": "Bảng chỉ số (Excel)", "en": "KPI table (Excel)"},
    "notebooks": {
        "vi": "Các tệp tính toán đã thực hiện (phục vụ kiểm tra lại)",
        "en": "Executed notebooks (for audit)",
    },
    "inputs": {"vi": "Tệp số liệu đầu vào", "en": "Input files"},
    "file": {"vi": "Tệp", "en": "File"},
    "rows": {"vi": "Số dòng", "en": "Rows"},
}


# The month's front page (`report.front_page`), the archive of months and the links between
# months (`site.archive`). `{month}` is already in words ("tháng 6/2026", "June 2026").
FRONT = {
    "tiles": {"vi": "Kết quả chính", "en": "At a glance"},
    "tile_rate": {
        "vi": "Tỷ lệ lũy kế của {units} cơ quan, đơn vị",
        "en": "Year-to-date rate of the {units} units",
    },
    "tile_rate_year": {
        "vi": "Tỷ lệ năm {year} của {units} cơ quan, đơn vị",
        "en": "The {year} rate of the {units} units",
    },
    "tile_target": {"vi": "Chỉ tiêu: {target}", "en": "Target: {target}"},
    "tile_targets": {
        "vi": "Chỉ tiêu của từng cơ quan, đơn vị: từ {low} đến {high}",
        "en": "Each unit's target: {low} to {high}",
    },
    "tile_up": {
        "vi": "Tăng {points} điểm phần trăm so với lũy kế đến hết {previous}",
        "en": "Up {points} percentage points on the year to date through {previous}",
    },
    "tile_down": {
        "vi": "Giảm {points} điểm phần trăm so với lũy kế đến hết {previous}",
        "en": "Down {points} percentage points on the year to date through {previous}",
    },
    "tile_same": {
        "vi": "Không đổi so với lũy kế đến hết {previous}",
        "en": "Unchanged from the year to date through {previous}",
    },
    "tile_first_month": {
        "vi": "Tháng đầu năm: chưa có lũy kế tháng trước để so sánh",
        "en": "First month of the year: no earlier year to date to compare with",
    },
    "tile_units": {"vi": "Kết quả các cơ quan, đơn vị", "en": "Units against their targets"},
    "tile_units_value": {"vi": "{met}/{units} đạt", "en": "{met} of {units} met"},
    "tile_count": {"vi": "{status}: {count}", "en": "{status}: {count}"},
    "tile_on_time": {
        "vi": "Tỷ lệ giải quyết đúng hạn lũy kế",
        "en": "On-time rate, year to date",
    },
    "tile_on_time_detail": {
        "vi": "{on_time} trong {resolved} hồ sơ đã giải quyết",
        "en": "{on_time} of {resolved} resolved dossiers",
    },
    "tile_dossiers": {"vi": "Hồ sơ lũy kế từ đầu năm", "en": "Dossiers year to date"},
    "tile_dossiers_online": {
        "vi": "{online} hồ sơ trực tuyến",
        "en": "{online} handled online",
    },
    "tile_dossiers_month": {
        "vi": "Riêng {month}: {total} hồ sơ",
        "en": "In {month} alone: {total} dossiers",
    },
    "grid": {"vi": "Từng cơ quan, đơn vị", "en": "Every unit"},
    "grid_note": {
        "vi": "Đường nhỏ ở cột cuối là tỷ lệ lũy kế từ tháng 1 đến tháng báo cáo, trên thang "
        "0–100%; vạch ngang đứt nét là chỉ tiêu.",
        "en": "The small line in the last column is the year-to-date rate from January to the "
        "month of the report, on a 0–100% scale; the dashed line is the target.",
    },
    "grid_unit": {"vi": "Cơ quan, đơn vị", "en": "Unit"},
    "grid_rate": {"vi": "Tỷ lệ lũy kế", "en": "Year-to-date rate"},
    "grid_rate_year": {"vi": "Tỷ lệ năm {year}", "en": "{year} rate"},
    "grid_target": {"vi": "Chỉ tiêu", "en": "Target"},
    "grid_status": {"vi": "Kết quả", "en": "Status"},
    "grid_trend": {"vi": "Tỷ lệ lũy kế qua các tháng", "en": "Year-to-date rate by month"},
    "spark": {
        "vi": "Tỷ lệ lũy kế của {name} qua các tháng: {points}. Chỉ tiêu {target}.",
        "en": "Year-to-date rate of {name} by month: {points}. Target {target}.",
    },
    "spark_point": {"vi": "{month} {rate}", "en": "{month} {rate}"},
    "attention": {"vi": "Cần chú ý", "en": "Needs attention"},
    "attention_note": {
        "vi": "Các cơ quan, đơn vị chưa đạt hoặc gần đạt chỉ tiêu lũy kế: số hồ sơ trực tuyến "
        "còn thiếu để đạt chỉ tiêu, và tỷ lệ cần đạt trong mỗi tháng còn lại nếu số hồ sơ mỗi "
        "tháng giữ như bình quân từ đầu năm.",
        "en": "Units below or near their target year to date: the online dossiers they are "
        "short of the target, and the rate they need in each remaining month if their monthly "
        "number of dossiers stays at this year's average.",
    },
    "attention_year": {
        "vi": "Kết quả năm {year}: các cơ quan, đơn vị không đạt chỉ tiêu",
        "en": "The {year} result: units that did not meet the target",
    },
    "attention_shortfall": {"vi": "Số hồ sơ trực tuyến còn thiếu", "en": "Online dossiers short"},
    "attention_needed": {
        "vi": "Tỷ lệ cần đạt mỗi tháng còn lại",
        "en": "Rate needed in each remaining month",
    },
    "attention_gap": {"vi": "Thấp hơn chỉ tiêu (điểm %)", "en": "Below target (points)"},
    "out_of_reach": {
        "vi": "Không thể đạt (cần trên 100%)",
        "en": "Out of reach (over 100% needed)",
    },
    "more": {"vi": "Xem thêm", "en": "More"},
    # links between months, on every page
    "months_nav": {"vi": "Các tháng", "en": "Months"},
    "previous_month": {"vi": "← Tháng trước: {month}", "en": "← Previous month: {month}"},
    "next_month": {"vi": "Tháng sau: {month} →", "en": "Next month: {month} →"},
    "all_months": {"vi": "Tất cả các tháng", "en": "All months"},
    # the archive OUT/index.html
    "archive_title": {
        "vi": "Báo cáo tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4: các tháng",
        "en": "Reports on dossiers handled online at levels 3 and 4: every month",
    },
    "archive_note": {
        "vi": "Mỗi tháng đã lập báo cáo, tháng gần nhất ở trên cùng. Số liệu lấy từ bảng chỉ "
        "số (kpi_table.csv) của từng tháng.",
        "en": "Every month with a report, the latest first. The figures are read from each "
        "month's KPI table (kpi_table.csv).",
    },
    "archive_updated": {"vi": "Cập nhật lúc", "en": "Updated"},
    "archive_trend": {
        "vi": "Tỷ lệ lũy kế của các cơ quan, đơn vị qua các tháng đã lập báo cáo",
        "en": "Year-to-date rate of the units over the months with a report",
    },
    "archive_trend_text": {
        "vi": "Tỷ lệ lũy kế theo tháng: {points}.",
        "en": "Year-to-date rate by month: {points}.",
    },
    "archive_month": {"vi": "Tháng", "en": "Month"},
    "archive_rate": {
        "vi": "Tỷ lệ lũy kế của các cơ quan, đơn vị",
        "en": "Year-to-date rate of the units",
    },
    "archive_statuses": {"vi": "Kết quả các cơ quan, đơn vị", "en": "Units against targets"},
    "archive_no_table": {
        "vi": "Thư mục của tháng này không có bảng chỉ số (kpi_table.csv)",
        "en": "This month's folder has no KPI table (kpi_table.csv)",
    },
    "archive_empty": {"vi": "Chưa có báo cáo nào.", "en": "No report yet."},
}


def front(key: str, lang: str = "vi", **fields: object) -> str:
    """A word of the front page, the archive or the links between months (`FRONT`)."""
    return _pick(FRONT, key, lang).format(**fields)


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
    """A sentence, heading or title; `fields` fill the template's `{...}` places.

    `{Wards}` is `{wards}` with a capital, for a template that starts with it.
    """
    if "wards" in fields:
        fields.setdefault("Wards", capitalized(str(fields["wards"])))
    return _pick(TEXT, key, lang).format(**fields)


def column(name: str, lang: str = "vi") -> str:
    """The header of a column of a tidy frame (KPI table, trends, data quality)."""
    return _pick(COLUMN, name, lang)


def status(name: str, lang: str = "vi", closed: bool = False) -> str:
    """met/near/below/no_data as readers call them: Đạt / Gần đạt / Chưa đạt / Không có số liệu;
    in a closed year (`closed`, December) a verdict: Đạt / Không đạt / Không có số liệu."""
    return _pick(STATUS_CLOSED if closed else STATUS, name, lang)


def status_legend(name: str, lang: str = "vi", closed: bool = False) -> str:
    """A status as a chart legend names it: near and below stay apart in a closed year."""
    return _pick(STATUS_CLOSED_LEGEND if closed else STATUS, name, lang)


def group_in_sentence(name: str, lang: str = "vi") -> str:
    return _pick(GROUP_IN_SENTENCE, name, lang)


def group_total(name: str, lang: str = "vi") -> str:
    """A group's subtotal row: Cộng sở, ban, ngành / Cộng UBND huyện, thành phố."""
    return _pick(GROUP_TOTAL, name, lang)


def decision(lang: str = "vi", number: str | None = None) -> str:
    """The decision as cited ("Quyết định số 345/QĐ-UBND tháng 02/2022 của Chủ tịch UBND tỉnh Hòa
    Bình"); without a number (None or blank) it is named by issuer and month."""
    if number and number.strip():
        return _pick(DECISION, "numbered", lang).format(number=number)
    return _pick(DECISION, "unnumbered", lang)


def decision_subject(lang: str = "vi") -> str:
    return _pick(DECISION, "subject", lang)


def capitalized(text_: str) -> str:
    """The first letter upper case, as a table cell or a sentence starts ("Tháng 6/2022")."""
    return text_[:1].upper() + text_[1:]


def met_clause(met: int, units: int, lang: str = "vi", year: int | None = None) -> str:
    """How many units met the target: none / some / all, each said in words ("Chưa có cơ quan,
    đơn vị nào đạt…", "18 trong tổng số 27…", "Cả 27…"); `year` given: the year's result."""
    which = "none" if met == 0 else "all" if met == units else "some"
    key = f"met_year_{which}" if year is not None else f"met_{which}"
    return text(key, lang, met=met, units=units, year=year)


def ward_nouns(types: Iterable[str]) -> str:
    """The kinds of commune present, in the GSO order: "xã, thị trấn", "xã, phường", …"""
    present = set(types)
    order = ("xã", "phường", "thị trấn")
    chosen = [t for t in order if t in present]
    return ", ".join(chosen or order)


def communes_headline(
    counts: dict[str, int], wards: str, lang: str = "vi", year: int | None = None
) -> str:
    """The communes' counts as a sentence; a zero clause is left out, every number has its noun.

    `counts`: met, near, below, no_data; `wards`: the noun ("xã, phường, thị trấn");
    `year` given: the year's result (not met, never near).
    """
    met, near, below, no_data = (counts.get(k, 0) for k in ("met", "near", "below", "no_data"))
    total = met + near + below + no_data
    which = "none" if met == 0 else "all" if met == total else "some"
    prefix = "communes_year_met_" if year is not None else "communes_met_"
    fields = {"met": met, "communes": total, "wards": wards, "year": year}
    clauses = [text(prefix + which, lang, **fields)]
    short = near + below
    if short:
        if year is not None:
            clauses.append(text("communes_year_short", lang, short=short, wards=wards))
        elif near:
            clauses.append(text("communes_short_near", lang, short=short, near=near, wards=wards))
        else:
            clauses.append(text("communes_short", lang, short=short, wards=wards))
    if no_data:
        clauses.append(text("communes_no_data_clause", lang, no_data=no_data, wards=wards))
    return capitalized("; ".join(clauses)) + "."


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


# --- the official monthly report (BÁO CÁO, Word) --------------------------------------------
# Vietnamese only: an official document of the department (Decree 30/2020/NĐ-CP). The sentence
# templates of `report.official_report`; `{list}` is already joined, counts are plain numbers.
DOCUMENT = {
    # header and frame
    "governing_body": "UBND TỈNH HÒA BÌNH",
    "issuing_body": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
    "number": "Số: {number}/BC-STTTT",
    "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto": "Độc lập - Tự do - Hạnh phúc",
    "place_date": "Hòa Bình, ngày {day} tháng {month} năm {year}",
    "type": "BÁO CÁO",
    "subject": ("Kết quả thực hiện chỉ tiêu tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 {month}"),
    "basis_2022": (
        "Thực hiện Quyết định số {decision}/QĐ-UBND ngày {decision_date} của Chủ tịch Ủy ban "
        "nhân dân tỉnh về việc giao chỉ tiêu hồ sơ giải quyết trực tuyến mức độ 3, mức độ 4 cho "
        "các Sở, Ban, Ngành, Ủy ban nhân dân các huyện, thành phố năm 2022 trên địa bàn tỉnh Hòa "
        "Bình, Sở Thông tin và Truyền thông báo cáo kết quả thực hiện {month} như sau:"
    ),
    "basis_other": (
        "Thực hiện văn bản số {decision} ngày {decision_date} về việc giao chỉ tiêu hồ sơ giải "
        "quyết trực tuyến năm {year}, Sở Thông tin và Truyền thông báo cáo kết quả thực hiện "
        "{month} như sau:"
    ),
    "closing": (
        "Trên đây là báo cáo kết quả thực hiện chỉ tiêu tỷ lệ hồ sơ giải quyết trực tuyến mức độ "
        "3, 4 {month}, Sở Thông tin và Truyền thông kính báo cáo Ủy ban nhân dân tỉnh xem xét, "
        "chỉ đạo./."
    ),
    "recipients": "Nơi nhận:",
    "recipient_placeholder": "- ……………;",
    "archive": "- Lưu: VT, ……",
    "signer_placeholder": "……………………",
    "synthetic_notice": (
        "SỐ LIỆU MÔ PHỎNG: báo cáo này được lập từ số liệu mẫu tự tạo, không phải số liệu thực "
        "tế; không dùng để ban hành."
    ),
    "appendix": "PHỤ LỤC",
    "appendix_title": (
        "Kết quả thực hiện chỉ tiêu tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3, 4 {month}"
    ),
    "appendix_attached": (
        "(Kèm theo Báo cáo số {number}/BC-STTTT ngày {date} của Sở Thông tin và Truyền thông)"
    ),
    # section headings
    "h_province": "Kết quả chung của 27 cơ quan, đơn vị",
    "h_units": "Kết quả của từng cơ quan, đơn vị",
    "h_units_year": "Kết quả thực hiện chỉ tiêu năm của từng cơ quan, đơn vị",
    "h_trends": "Diễn biến so với tháng trước",
    "h_data": "Tình hình số liệu",
    "h_proposals": "Đề xuất, kiến nghị",
    "proposals_placeholder": (
        "[Phần này do Sở Thông tin và Truyền thông soạn thảo trước khi trình ký; xóa dòng này "
        "khi đã điền nội dung.]"
    ),
    # 1. the 27 units together
    "month_sum": (
        "{month}, {units} cơ quan, đơn vị tiếp nhận {total} hồ sơ thủ tục hành chính, trong đó "
        "{online} hồ sơ trực tuyến mức độ 3, 4; tỷ lệ trong tháng là {rate}."
    ),
    "month_sum_none": "{month}, chưa có số liệu hồ sơ của {units} cơ quan, đơn vị.",
    "ytd_none": "Lũy kế đến hết {month} chưa có số liệu hồ sơ.",
    "ytd_sum": (
        "Lũy kế từ đầu năm đến hết {month}: {total} hồ sơ, trong đó {online} hồ sơ trực tuyến; "
        "tỷ lệ lũy kế của {units} cơ quan, đơn vị là {rate} ({targets})"
    ),
    "target_uniform": "chỉ tiêu giao cho mỗi cơ quan, đơn vị là {target}",
    "target_range": "chỉ tiêu giao cho các cơ quan, đơn vị từ {low} đến {high}",
    "target_none": "chưa có chỉ tiêu được giao",
    "vs_previous": "{direction} so với lũy kế đến hết {month}",
    "vs_year_before": "{direction} so với cùng kỳ năm {year}",
    "vs_year_before_partial": " (so sánh trên {units} cơ quan, đơn vị có số liệu cả hai năm)",
    "no_year_before": "chưa có số liệu cùng kỳ năm {year} để so sánh",
    "and": " và ",
    "up": "tăng {points} điểm phần trăm",
    "down": "giảm {points} điểm phần trăm",
    "unchanged": "không thay đổi",
    "definition": (
        "Tỷ lệ được xác định theo Điều 1 của Quyết định giao chỉ tiêu: số hồ sơ trực tuyến thuộc "
        "danh mục thủ tục hành chính được công bố thực hiện trực tuyến mức độ 3, mức độ 4 phát "
        "sinh trên tổng số hồ sơ giải quyết thủ tục hành chính của cơ quan, đơn vị."
    ),
    # 2. units by status
    "all_met": ("Tất cả {units} cơ quan, đơn vị có tỷ lệ lũy kế đạt chỉ tiêu ({target}): {list}."),
    "met": ("Có {count}/{units} cơ quan, đơn vị có tỷ lệ lũy kế đạt chỉ tiêu ({target}): {list}."),
    "none_met": "Chưa có cơ quan, đơn vị nào có tỷ lệ lũy kế đạt chỉ tiêu ({target}).",
    "near": (
        "{count} cơ quan, đơn vị gần đạt chỉ tiêu (thấp hơn chỉ tiêu dưới 5 điểm phần trăm): "
        "{list}."
    ),
    "below": "{count} cơ quan, đơn vị chưa đạt chỉ tiêu: {list}.",
    "no_data": "{count} cơ quan, đơn vị chưa có số liệu: {list}.",
    "year_all_met": "Tất cả {units} cơ quan, đơn vị đạt chỉ tiêu năm {year}: {list}.",
    "year_met": "Có {count}/{units} cơ quan, đơn vị đạt chỉ tiêu năm {year}: {list}.",
    "year_none_met": "Không có cơ quan, đơn vị nào đạt chỉ tiêu năm {year}.",
    "year_missed": "{count} cơ quan, đơn vị không đạt chỉ tiêu năm {year}: {list}.",
    "below_target_by": "thấp hơn chỉ tiêu {points} điểm phần trăm",
    "shortfall": "còn thiếu {count} hồ sơ trực tuyến",
    "shortfall_closed": "thiếu {count} hồ sơ trực tuyến so với chỉ tiêu",
    # 3. trends
    "points": "điểm phần trăm",
    "first_month": ("{month} là tháng đầu năm nên chưa có số liệu lũy kế tháng trước để so sánh."),
    "rises": "So với lũy kế đến hết {month}, tỷ lệ lũy kế tăng nhiều nhất ở: {list}.",
    "no_rises": (
        "So với lũy kế đến hết {month}, không có cơ quan, đơn vị nào có tỷ lệ lũy kế tăng."
    ),
    "falls": "Giảm nhiều nhất ở: {list}.",
    "no_falls": "Không có cơ quan, đơn vị nào có tỷ lệ lũy kế giảm.",
    "needed": (
        "Để đạt chỉ tiêu năm {year}, với số hồ sơ bình quân mỗi tháng như hiện nay, tỷ lệ trực "
        "tuyến cần đạt trong mỗi tháng còn lại của các cơ quan, đơn vị chưa đạt là: {list}."
    ),
    "out_of_reach": (
        "{count} cơ quan, đơn vị không còn khả năng đạt chỉ tiêu năm {year} kể cả khi toàn bộ "
        "hồ sơ các tháng còn lại được giải quyết trực tuyến: {list}."
    ),
    # 4. data
    "missing": "Chưa nhận được số liệu {month} của {count} cơ quan, đơn vị: {list}.",
    "complete": "Đã nhận đủ số liệu {month} của {units} cơ quan, đơn vị.",
    "no_revisions": "Không có số liệu điều chỉnh so với báo cáo kỳ trước.",
    "revisions": "Có {count} số liệu được điều chỉnh so với báo cáo kỳ trước: {list}.",
    "revision": "{unit}, {month}, {field}: {old} thành {new}",
    "field_total": "tổng số hồ sơ",
    "field_online": "số hồ sơ trực tuyến",
    "field_resolved": "số hồ sơ đã giải quyết",
    "field_resolved_on_time": "số hồ sơ giải quyết đúng hạn",
    "field_pending_overdue": "số hồ sơ đang giải quyết quá hạn",
    "on_time": (
        "Tỷ lệ hồ sơ giải quyết đúng hạn lũy kế đến hết {month} của {units} cơ quan, đơn vị có "
        "số liệu là {rate} ({on_time}/{resolved} hồ sơ đã giải quyết)."
    ),
    # appendix
    "col_number": "STT",
    "col_unit": "Cơ quan, đơn vị",
    "col_target": "Chỉ tiêu",
    "col_month": "{month}",
    "col_ytd": "Lũy kế đến hết {month}",
    "col_total": "Tổng số hồ sơ",
    "col_online": "Hồ sơ trực tuyến",
    "col_rate": "Tỷ lệ",
    "col_gap": "Chênh lệch so với chỉ tiêu (điểm %)",
    "col_shortfall": "Số hồ sơ trực tuyến còn thiếu",
    "col_status": "Kết quả",
    "col_on_time": "Giải quyết đúng hạn (lũy kế)",
    "col_resolved": "Đã giải quyết",
    "col_in_time": "Đúng hạn",
    "subtotal_department": "Cộng sở, ban, ngành",
    "subtotal_district": "Cộng UBND huyện, thành phố",
    "total": "Tổng cộng {units} cơ quan, đơn vị",
    "status_missed": "Không đạt",
}


def document(key: str, **fields: object) -> str:
    """A phrase of the official report (Vietnamese only); `fields` fill its `{...}` places."""
    try:
        template = DOCUMENT[key]
    except KeyError:
        raise KeyError(f"no document label for {key!r}") from None
    return template.format(**fields)
