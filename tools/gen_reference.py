#!/usr/bin/env python3
"""Generates data/reference/organisations.ttl from ../shared/reference/.

Run by hand from the repository root (`python3 tools/gen_reference.py`); the
output is committed. IRIs are relative (`<org/skatteverket>`) and resolved
against the configured base IRI when esam-kg loads the file.

Sources (cited per entry with dcterms:source):
- authorities-curated.tsv: 38 authorities eSam texts name, with abbreviations;
- swedish-agencies.tsv: the agencies in force (no end date) from ESV, SCB,
  Statskontoret and Wikidata as merged by civictechsweden/myndighetsdata (CC0);
  SCB's upper-case duplicates and internal register codes are not used as names;
- HAND below: organisations that are not agencies (eSam, the Government, EU bodies).
"""
import csv
import os
import re
import sys
import unicodedata

SHARED = os.environ.get("ESAM_SHARED", os.path.join(os.path.dirname(__file__), "..", "..", "shared"))
REF = os.path.join(SHARED, "reference")
OUT = os.path.join(os.path.dirname(__file__), "..", "data", "reference", "organisations.ttl")
MYNDIGHETSDATA = "https://github.com/civictechsweden/myndighetsdata/blob/e5b5c07e6dd1db93cd4926a3e72f9966a3aecd18/data/merged.json"

# Organisations that are not government agencies. (name, alt labels, english, kind, homepage, wikidata, source, comment)
HAND = [
    ("eSamverkansprogrammet", ["eSam", "eSamverkan"], "eGovernment Collaboration Programme", "collaboration",
     "https://www.esamverka.se", None, "https://esamverka.se/om-esam/organisation-och-forum.html",
     "Samverkansprogram för ett 35-tal myndigheter och Sveriges Kommuner och Regioner."),
    ("Länsstyrelserna", ["Länsstyrelsen"], "County Administrative Boards", "collaboration",
     "https://www.lansstyrelsen.se", None, "https://www.esamverka.se/aktuellt/nyheter/nyheter/2021-07-01-tre-nya-medlemmar-i-esam.html",
     "De 21 länsstyrelserna, som är medlem i eSam som en part; formell part är Länsstyrelsen i Västra Götalands län."),
    ("Regeringen", [], "Government of Sweden", "government", "https://www.regeringen.se", None, "https://www.regeringen.se", None),
    ("Sveriges riksdag", ["Riksdagen"], "Swedish Parliament", "government", "https://www.riksdagen.se", None,
     "https://www.riksdagen.se", None),
    ("Regeringskansliet", [], "Government Offices of Sweden", "government", "https://www.regeringen.se", None, "https://www.regeringen.se", None),
    ("Europeiska kommissionen", ["EU-kommissionen", "Kommissionen"], "European Commission", "eu",
     "https://commission.europa.eu", "Q8880", "https://www.wikidata.org/wiki/Q8880", None),
    ("Europaparlamentet", ["EU-parlamentet"], "European Parliament", "eu", "https://www.europarl.europa.eu", "Q8889",
     "https://www.wikidata.org/wiki/Q8889", None),
    ("Europeiska unionens råd", ["Ministerrådet", "EU:s ministerråd"], "Council of the European Union", "eu",
     "https://www.consilium.europa.eu", "Q8896", "https://www.wikidata.org/wiki/Q8896", None),
    # Companies the newsletters name. The source is the newsletter itself (a relative IRI,
    # resolved against the base like every other); homepage and identifiers are left out
    # rather than guessed.
    ("Wikström & Partners Advokatbyrå AB", ["Wikström & Partners"], None, "company", None, None,
     "newsletter/2021-12", "Advokatbyrå som gjort en juridisk analys åt eSam (nyhetsbrevet december 2021)."),
]


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


def lit(text, lang=None):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def read_tsv(name):
    with open(os.path.join(REF, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def is_upper(name):
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def entry(key, name, alts, english, org_number, wikidata, website, sources, kind="agency", comment=None, start=None):
    lines = [f"<org/{key}> a org:Organization"]
    if kind == "agency":
        lines[0] += ", org:FormalOrganization"
    elif kind == "collaboration":
        lines[0] += ", org:OrganizationalCollaboration"
    props = [f"skos:prefLabel {lit(name, 'sv')}"]
    for alt in sorted(set(alts) - {name}):
        props.append(f"skos:altLabel {lit(alt, 'sv')}")
    if english:
        props.append(f"skos:prefLabel {lit(english, 'en')}")
    if org_number:
        props.append(f"org:identifier {lit(org_number)}^^<https://w3id.org/esam-kg/ns#Organisationsnummer>")
    if wikidata:
        props.append(f"owl:sameAs <http://www.wikidata.org/entity/{wikidata}>")
    if website and re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", website):
        props.append(f"foaf:homepage <{website}>")
    if start:
        props.append(f'schema:foundingDate "{start}"^^xsd:date')
    if comment:
        props.append(f"rdfs:comment {lit(comment, 'sv')}")
    for source in sources:
        props.append(f"dcterms:source <{source}>")
    return lines[0] + " ;\n    " + " ;\n    ".join(props) + " .\n"


def main():
    curated = read_tsv("authorities-curated.tsv")
    agencies = read_tsv("swedish-agencies.tsv")
    out = [
        "# Generated by tools/gen_reference.py from ../shared/reference/ — do not edit by hand.\n",
        "# Relative IRIs are resolved against esam-kg's configured base IRI.\n",
        "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n",
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix adms: <http://www.w3.org/ns/adms#> .\n",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix schema: <http://schema.org/> .\n",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n",
    ]
    keys, numbers, names = set(), set(), set()

    def add(key, text):
        if key in keys:
            sys.exit(f"duplicate key {key}")
        keys.add(key)
        out.append(text)

    for row in HAND:
        name, alts, english, kind, homepage, wikidata, source, comment = row
        add(slug(name), entry(slug(name), name, alts, english, None, wikidata, homepage, [source], kind, comment))
        names.add(name.lower())
    for row in curated:
        name = row["name"]
        alts = [a for a in row["abbreviations"].split(";") if a and a != "Länsstyrelserna"]
        sources = [s.split(" (")[0].strip() for s in row["source"].split(" ; ") if s.strip().startswith("http")]
        add(slug(name), entry(slug(name), name, alts, row["english_name"], row["org_number"], row["wikidata"],
                              row["website"], sources))
        numbers.add(row["org_number"])
        names.add(name.lower())
    org_number_counts = {}
    for row in agencies:
        if row["org_nr"]:
            org_number_counts[row["org_nr"]] = org_number_counts.get(row["org_nr"], 0) + 1
    for row in agencies:
        name = row["name"].strip()
        if row["end"] or is_upper(name) or name.lower() in names or row["org_nr"] in numbers:
            continue
        if name.startswith("Avvecklingsmyndigheten") or "(" in name:
            continue
        alts = [o for o in row["other_names"].split(";") if o and not is_upper(o) and o.lower() not in names]
        unique_number = row["org_nr"] if org_number_counts.get(row["org_nr"]) == 1 else None
        key = slug(name)
        if key in keys:
            continue
        add(key, entry(key, name, alts, row["name_en"], unique_number, row["wikidata"], row["website"],
                       [MYNDIGHETSDATA], start=row["start"] or None))
        names.add(name.lower())
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("".join(out))
    print(f"wrote {len(keys)} organisations to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
