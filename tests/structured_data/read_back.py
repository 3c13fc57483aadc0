#!/usr/bin/env python3
"""The centre and the breadcrumbs in JSON-LD, read as a search engine reads them.

    python3 tests/structured_data/read_back.py SITE CONTENT

For every page of SITE (the 404 pages aside): finds the page's
<script type="application/ld+json"> with Python's HTML parser, reads it with the json
module, and expands it with PyLD, a JSON-LD processor, against the copy of the
schema.org context in tests/schemas (no network: any other address is refused). Then
compares every value with what CONTENT's site.toml says in the page's language, and the
breadcrumb list with the breadcrumbs the page shows. Prints one line per check and exits
non-zero on any difference.
"""

import json
import re
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

from pyld import jsonld

HERE = Path(__file__).resolve().parent
CONTEXT_FILE = HERE.parent / "schemas" / "schemaorg-context.jsonld"
CONTEXT_URLS = {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/"}
SCHEMA = "http://schema.org/"

DAYS = {
    "monday": "Monday", "tuesday": "Tuesday", "wednesday": "Wednesday", "thursday": "Thursday",
    "friday": "Friday", "saturday": "Saturday", "sunday": "Sunday",
    "月": "Monday", "火": "Tuesday", "水": "Wednesday", "木": "Thursday", "金": "Friday",
    "土": "Saturday", "日": "Sunday",
}
ORDER = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

failures = []

# Every term schema.org defines: its context names each type and property.
VOCABULARY = {
    name for name in json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    if not name.startswith("@") and ":" not in name
}


def check(what, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(what)


def load_context(url, options=None):
    if url not in CONTEXT_URLS:
        raise RuntimeError(f"no network: refused to load {url}")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT_FILE.read_text(encoding="utf-8")),
    }


class Page(HTMLParser):
    """The page's JSON-LD blocks, and its visible breadcrumbs (text without readings)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.crumbs = []
        self.html_lang = None
        self._in_block = None
        self._in_crumbs = 0
        self._link = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_block = []
        if tag == "nav" and "breadcrumbs" in (attrs.get("class") or "").split():
            self._in_crumbs += 1
        if self._in_crumbs and tag == "a":
            self._link = [attrs.get("href"), ""]
        if tag in ("rt", "rp"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "script" and self._in_block is not None:
            self.blocks.append("".join(self._in_block))
            self._in_block = None
        if tag == "nav" and self._in_crumbs:
            self._in_crumbs -= 1
        if tag == "a" and self._link is not None:
            self.crumbs.append((" ".join(self._link[1].split()), self._link[0]))
            self._link = None
        if tag in ("rt", "rp"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_block is not None:
            self._in_block.append(data)
        elif self._link is not None and not self._skip:
            self._link[1] += data


def plain(text):
    """A text as it reads without its readings: `{漢字|かんじ}` is 漢字."""
    return re.sub(r"\{([^{}|]*)\|[^{}]*\}", r"\1", text)


def dialled(number):
    """A number as a phone dials it from anywhere: 0229-23-0024 is +81-229-23-0024."""
    return "+81-" + number[1:]


def expected_centre(site, lang, default):
    contact = site["contact"]

    def text(value):
        if isinstance(value, str):
            return plain(value)
        return plain(value.get(lang, value[default]))

    prefix = "" if lang == default else "/" + site["languages"][lang].get("path", lang)
    base = site["base_url"].rstrip("/")
    centre = {
        "@type": "GovernmentOffice",
        "@id": f"{base}/#centre",
        "name": text(contact["name"]),
        "url": f"{base}{prefix}/",
        "telephone": dialled(contact["phone"]),
    }
    if "address" in contact:
        centre["address"] = {"@type": "PostalAddress", "streetAddress": text(contact["address"])}
    if "fax" in contact:
        centre["faxNumber"] = dialled(contact["fax"])
    hours = None
    if "opening_hours" in contact:
        written = contact["opening_hours"]
        days = sorted(
            (DAYS[d.strip().lower().removesuffix("曜日")] for d in written["days"]),
            key=ORDER.index,
        )
        hours = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": written["opens"],
            "closes": written["closes"],
        }
        if "valid_from" in written:
            hours["validFrom"] = str(written["valid_from"])
        centre["openingHoursSpecification"] = hours
    if "area_served" in contact:
        centre["areaServed"] = text(contact["area_served"])
    if "parent_organization" in contact:
        centre["parentOrganization"] = {
            "@type": "GovernmentOrganization",
            "name": text(contact["parent_organization"]),
        }
    consultation = {
        "@type": "ContactPoint",
        "contactType": text(contact["phone_label"]),
        "telephone": dialled(contact["phone"]),
    }
    if hours:
        consultation["hoursAvailable"] = hours
    points = [consultation]
    for number in contact.get("inquiry_phones", []):
        point = {"@type": "ContactPoint", "telephone": dialled(number)}
        if "inquiry_label" in contact:
            point["contactType"] = text(contact["inquiry_label"])
        if "inquiry_unit" in contact:
            point["name"] = text(contact["inquiry_unit"])
        points.append(point)
    centre["contactPoint"] = points
    return centre


def terms(value, found):
    """Every property and type name of a compact document, and the number of its values."""
    count = 0
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "@context":
                continue
            if not key.startswith("@"):
                found.add(key)
            if key == "@type":
                found.add(inner)
            count += terms(inner, found) if key not in ("@type", "@id") else 1
    elif isinstance(value, list):
        count += sum(terms(inner, found) for inner in value)
    else:
        count += 1
    return count


def expanded_terms(value, found):
    """Every property of an expanded document (schema.org names), and its values."""
    count = 0
    if isinstance(value, dict):
        if "@value" in value:
            return 1
        for key, inner in value.items():
            if key in ("@type", "@id"):
                count += len(inner) if isinstance(inner, list) else 1
                if key == "@type":
                    found.update(t.removeprefix(SCHEMA) for t in inner)
                continue
            if key.startswith("@"):
                count += expanded_terms(inner, found)
                continue
            found.add(key.removeprefix(SCHEMA))
            count += expanded_terms(inner, found)
    elif isinstance(value, list):
        count += sum(expanded_terms(inner, found) for inner in value)
    return count


def language_of(rel, site, default):
    first = rel.split("/", 1)[0] if "/" in rel else ""
    for code, language in site["languages"].items():
        if code != default and language.get("path", code) == first:
            return code
    return default


def main():
    site_dir, content = Path(sys.argv[1]), Path(sys.argv[2])
    site = tomllib.loads((content / "site.toml").read_text(encoding="utf-8"))
    default = site["default_language"]
    base = site["base_url"].rstrip("/")
    origin = re.match(r"https?://[^/]+", base).group(0)
    pages = sorted(
        p for p in site_dir.rglob("*.html")
        if p.name != "404.html" and not p.relative_to(site_dir).parts[0].startswith("_")
    )
    check("pages with JSON-LD were found", len(pages) > 0, str(site_dir))
    shown_centre = None
    for path in pages:
        rel = path.relative_to(site_dir).as_posix()
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        if len(page.blocks) != 1:
            check(f"{rel}: one JSON-LD block", False, f"{len(page.blocks)} blocks")
            continue
        data = json.loads(page.blocks[0])
        try:
            expanded = jsonld.expand(data, {"documentLoader": load_context})
        except Exception as error:  # noqa: BLE001 - any failure of the processor is a finding
            check(f"{rel}: expands as JSON-LD", False, repr(error))
            continue
        # The context maps any name to schema.org (`@vocab`), so a misspelt property
        # would expand too: each name must be one the vocabulary defines.
        used, kept = set(), set()
        values = terms(data, used)
        expanded_values = expanded_terms(expanded, kept)
        unknown = sorted(used - VOCABULARY)
        if unknown or used != kept or values != expanded_values:
            check(
                f"{rel}: every property is a schema.org term and keeps its values",
                False,
                f"not in schema.org {unknown}; dropped {sorted(used - kept)}; "
                f"{values} values written, {expanded_values} expanded",
            )
        lang = language_of(rel, site, default)
        graph = data["@graph"]
        centres = [item for item in graph if item["@type"] == "GovernmentOffice"]
        wanted = expected_centre(site, lang, default)
        if centres != [wanted]:
            check(f"{rel}: the centre as site.toml gives it in {lang}", False,
                  json.dumps(centres, ensure_ascii=False))
        if rel == "index.html":
            shown_centre = data
        lists = [item for item in graph if item["@type"] == "BreadcrumbList"]
        listed = [
            (item["name"], item["item"]) for item in (lists[0]["itemListElement"] if lists else [])
        ]
        positions = [item["position"] for item in (lists[0]["itemListElement"] if lists else [])]
        shown = [(name, origin + href) for name, href in page.crumbs]
        if listed != shown or positions != list(range(1, len(listed) + 1)):
            check(f"{rel}: the breadcrumb list is the breadcrumbs shown", False,
                  f"{listed} at {positions} != {shown}")
    check(f"{len(pages)} pages: JSON-LD expanded by PyLD with every property kept",
          not any("expand" in f or "property" in f for f in failures))
    check(f"{len(pages)} pages: the centre equals site.toml's [contact] in the page's language",
          not any("the centre" in f for f in failures))
    check(f"{len(pages)} pages: the breadcrumb list equals the breadcrumbs shown",
          not any("breadcrumb" in f for f in failures))
    if shown_centre is not None and "-v" in sys.argv:
        print(json.dumps(shown_centre, ensure_ascii=False, indent=2))
    if failures:
        print(f"{len(failures)} difference(s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
