#!/usr/bin/env python3
"""The municipal desks' open data, read as others will read it.

    python3 tests/open_data/read_back.py SITE CONTENT

Reads SITE/opendata/municipal-desks.csv with Python's csv module and with pandas, and
the .json with the json module, and compares every value with what CONTENT's data files
say (directory.toml, sources.toml, the codes computed with their check digit). Prints
one line per check and exits non-zero on any difference.
"""

import csv
import json
import sys
import tomllib
from pathlib import Path

import pandas

STANDARD = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字",
    "住所", "方書", "電話番号", "内線番号", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "説明", "URL", "備考",
]
OWN = ["FAX番号", "出典ID", "出典", "出典URL", "出典の日付", "出典の確認日"]


def six_digit(code):
    """The Ministry's check digit: digits weighted 6, 5, 4, 3, 2."""
    total = sum(int(d) * w for d, w in zip(code, [6, 5, 4, 3, 2]))
    return code + str((11 - total % 11) % 10)


def source_date(source):
    for key in ("published", "updated", "dated"):
        if key in source:
            return str(source[key])
    if "year" in source:
        return str(source["year"])
    if "fiscal_year" in source:
        return f"{source['fiscal_year']}年度"
    return ""


def expected_rows(content):
    directory = tomllib.loads((content / "directory.toml").read_text(encoding="utf-8"))
    sources = {
        s["id"]: s
        for s in tomllib.loads((content / "sources.toml").read_text(encoding="utf-8"))["source"]
    }
    rows = []
    for m in directory.get("municipality", []):
        desk = m.get("desk") or m.get("served_by")
        if not desk:
            continue
        source = sources[desk["source"]]
        name = lambda v: v if isinstance(v, str) else v.get("ja", "")
        row = dict.fromkeys(STANDARD + OWN, "")
        row.update({
            "全国地方公共団体コード": six_digit(m["code"]),
            "ID": six_digit(m["code"]),
            "地方公共団体名": "宮城県" + name(m["name"]),
            "名称": name(desk["name"]),
            "住所": name(desk.get("address", "")),
            "電話番号": desk.get("phone", ""),
            "FAX番号": desk.get("fax", ""),
            "出典ID": desk["source"],
            "出典": name(source["title"]),
            "出典URL": source.get("url", ""),
            "出典の日付": source_date(source),
            "出典の確認日": str(source.get("verified", "")),
        })
        rows.append(row)
    return rows


def main():
    site, content = Path(sys.argv[1]), Path(sys.argv[2])
    expected = expected_rows(content)
    failures = []

    def check(what, got, want):
        ok = got == want
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            failures.append(what)
            print(f"     got:  {got!r}\n     want: {want!r}")

    raw = (site / "opendata/municipal-desks.csv").read_bytes()
    check("CSV starts with a byte order mark", raw[:3], b"\xef\xbb\xbf")
    check("CSV lines end in CRLF", raw.count(b"\n"), raw.count(b"\r\n"))

    with open(site / "opendata/municipal-desks.csv", encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        check("csv: the columns, in order", reader.fieldnames, STANDARD + OWN)
        check("csv: every row equals the data files", list(reader), expected)

    frame = pandas.read_csv(site / "opendata/municipal-desks.csv", encoding="utf-8-sig",
                            dtype=str, keep_default_na=False)
    check("pandas: the columns, in order", list(frame.columns), STANDARD + OWN)
    check("pandas: every row equals the data files", frame.to_dict("records"), expected)

    rows = json.loads((site / "opendata/municipal-desks.json").read_text(encoding="utf-8"))
    check("json: every row equals the data files", rows, expected)
    check("json: keys in the columns' order", [list(r) for r in rows],
          [STANDARD + OWN for _ in rows])

    print(f"{len(expected)} rows; " + ("open data: PASS" if not failures else f"open data: FAIL ({len(failures)})"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
