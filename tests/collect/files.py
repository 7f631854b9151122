"""Writing synthetic collections the way collectors send them (CSV/XLSX, odd forms)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl

from egoveval.frameworks import load_framework
from egoveval.units import provinces

FW = load_framework("provincial-channels")
NAMES = dict(zip(provinces().table["code"], provinces().table["name"]))


def plain(value):
    """The plain text a careful collector would type."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def header(ind_id: str, style: str = "zh") -> str:
    ind = FW.indicator(ind_id)
    return {"zh": ind.name_zh, "id": ind.id, "both": f"{ind.name_zh} ({ind.id})", "en": ind.name_en}[style]


def rows_of(data: dict, *, ids=None, styles=None, fmt=plain, extra=None) -> list[list]:
    ids = ids or FW.ids
    styles = styles or {}
    head = ["地区"] + [header(i, styles.get(i, "zh")) for i in ids] + ["来源", "备注"]
    out = [head]
    for code, values in data.items():
        meta = (extra or {}).get(code, ("", ""))
        out.append([NAMES[code]] + [fmt(values[i]) if fmt else values[i] for i in ids] + list(meta))
    return out


def write_csv_rows(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx_rows(path: Path, rows: list[list], *, sheet: str = "数据", epoch_1904: bool = False,
                    before: list[str] = ()) -> Path:
    wb = openpyxl.Workbook()
    first = wb.active
    if before:
        first.title = before[0]
        first["A1"] = "说明：本表为合成数据 (synthetic)"
        for name in before[1:]:
            wb.create_sheet(name)["A1"] = "synthetic notes"
        ws = wb.create_sheet(sheet)
    else:
        ws = first
        ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c)
            cell.value = None if value == "" else value
            if isinstance(value, str) and not value.startswith("="):
                cell.data_type = "s"
    if epoch_1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        wb.epoch = CALENDAR_MAC_1904
    wb.save(path)
    return path


def set_cached_values(path: Path, cached: dict[str, object]) -> Path:
    """Give formula cells cached results (as Excel would after calculating):
    ``{"C2": 1234, "D3": "#N/A"}``; error values get ``t="e"``."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode("utf-8")
    for ref, value in cached.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>\s*</c>')
        error = isinstance(value, str) and value.startswith("#")
        replacement = (f'<c r="{ref}"\\1 t="e"><f>\\2</f><v>{value}</v></c>' if error
                       else f'<c r="{ref}"\\1><f>\\2</f><v>{value}</v></c>')
        xml, n = pattern.subn(replacement, xml)
        assert n == 1, ref
    members[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return path


BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"""


def add_entity_bomb(path: Path) -> Path:
    """Make a workbook's first cell a shared string whose table is a billion-laughs bomb."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["xl/sharedStrings.xml"] = BILLION_LAUGHS.encode("utf-8")
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>",
                        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                        'sharedStrings" Target="sharedStrings.xml" Id="rId99" /></Relationships>')
    members["xl/_rels/workbook.xml.rels"] = rels.encode()
    types = members["[Content_Types].xml"].decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    members["[Content_Types].xml"] = types.encode()
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r'<c r="A1" t="inlineStr"><is><t>.*?</t></is></c>', '<c r="A1" t="s"><v>0</v></c>', sheet, count=1)
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return path


def excel_serial(d: date, epoch_1904: bool = False) -> int:
    base = date(1904, 1, 1) if epoch_1904 else date(1899, 12, 30)
    return (d - base).days
