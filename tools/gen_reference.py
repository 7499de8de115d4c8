#!/usr/bin/env python3
"""Generates data/reference/organisations.ttl from ../shared/reference/.

Run by hand from the repository root (`python3 tools/gen_reference.py`); the
output is committed. IRIs are relative (`<org/skatteverket>`) and resolved
against the configured base IRI when esam-kg loads the file.

Sources (cited per entry with dcterms:source):
- authorities-curated.tsv: 38 authorities eSam texts name, with abbreviations;
- swedish-agencies.tsv: Swedish agencies past and present from ESV, SCB,
  Statskontoret and Wikidata as merged by civictechsweden/myndighetsdata (CC0),
  with start (schema:foundingDate), end (schema:dissolutionDate) and predecessors
  (dcterms:replaces, when the predecessor's name is one entry here); SCB's
  upper-case duplicates and internal register codes are not used as names; a row
  with an end date whose organisation number is also on a row in force is a new
  instruction, not an end (the TSV's README), and is skipped;
- RENAMES below: agencies that changed name but kept their organisation number
  (facts.md §3), as esam:OrganisationName records with their validity;
- HAND below: organisations that are not agencies (eSam, the Government, EU bodies);
- BODIES below: eSam's own bodies (facts.md §2.2) as org:OrganizationalUnit of eSam,
  under the group IRIs and with the names the importer gives them.

The reference graph describes itself (<graph/reference>): VERSION and MODIFIED
are set by hand when the data changes, so a rerun gives the same bytes.
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
FORUMS = "https://esamverka.se/om-esam/organisation-och-forum.html"

# Bump both when the generated data changes.
VERSION = "2026.12.1"
MODIFIED = "2026-12-01"

# Agencies renamed with their organisation number kept (facts.md §3 "Changes that matter for
# a graph over time"). Each name: (Swedish, abbreviations, English, valid from, valid through);
# None where the source gives no date — never guessed. The last name is the current one.
RENAMES = {
    "202100-5984": {
        "names": [
            ("Myndigheten för samhällsskydd och beredskap", ["MSB"], "Swedish Civil Contingencies Agency",
             "2009-01-01", None),
            ("Myndigheten för civilt försvar", ["MCF"], "Swedish Civil Defence and Resilience Agency", None, None),
        ],
        "sources": ["https://www.wikidata.org/wiki/Q3430725", MYNDIGHETSDATA],
    },
    "202100-5026": {
        "names": [
            ("Ekonomistyrningsverket", ["ESV"], "National Financial Management Authority", "1998-07-01",
             "2025-12-31"),
            ("Statskontoret", ["STK"], None, "2026-01-01", None),
        ],
        # SFS 2025:681 (the new Statskontoret's instruction) as recorded by myndighetsdata.
        "sources": [MYNDIGHETSDATA, "https://www.wikidata.org/wiki/Q7654780"],
    },
}

# The agency called Statskontoret until ESV took its name: a different organisation
# (202100-0852) that ended in 2025 (facts.md §3); the register marks it "(gamla)".
OLD_STATSKONTORET = ("statskontoret-gamla", "202100-0852", "2025")

# eSam's bodies (facts.md §2.2): (name as the importer gives it, alt labels, English, comment).
BODIES = [
    ("eSams styrgrupp", ["Styrgruppen", "eSams styrgrupp"], "eSam steering group",
     "Högsta beslutande organ: medlemsmyndigheternas generaldirektörer, SKR:s vd, DIGG:s generaldirektör (adjungerad) och eSams kanslichef."),
    ("eSams kansli", ["Kansliet", "eSam-kansliet"], "eSam secretariat",
     "Driver det löpande arbetet och samordnar de andra forumen; leds av kanslichefen."),
    ("Utvecklingsforum", [], "Development forum",
     "Föreslår nya utvecklingsinitiativ som styrgruppen beslutar om; har ett utskott."),
    ("utvecklingsforums utskott", [], "Development forum committee", "Utvecklingsforums utskott."),
    ("Samordningsgruppen", [], "Coordination group",
     "Utsedd av styrgruppen för att förbereda och genomföra beslut hos medlemmarna."),
    ("expertgrupp juridik", ["Expertgrupp juridik", "den juridiska expertgruppen"], "Legal expert group", "Expertgrupp."),
    ("expertgrupp säkerhet", ["Expertgrupp säkerhet"], "Security expert group", "Expertgrupp."),
    ("sakområdesgrupp arkitektur", [], "Subject-area group architecture", "Sakområdesgrupp som tar fram vägledningar."),
    ("sakområdesgrupp juridik", [], "Subject-area group law", "Sakområdesgrupp som tar fram vägledningar."),
    ("sakområdesgrupp säkerhet", [], "Subject-area group security", "Sakområdesgrupp som tar fram vägledningar."),
    ("sakområdesgrupp kommunikation", [], "Subject-area group communication", "Sakområdesgrupp som tar fram vägledningar."),
    ("koordineringsgrupp arkitektur", [], "Architecture coordination group", "Finns i eSams kalender (3 december 2021)."),
]

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


def date_literal(value):
    kind = "date" if len(value) == 10 else "gYear"
    return f'"{value}"^^xsd:{kind}'


def name_records(key, renamed):
    """esam:hasName and the name nodes of a renamed agency, oldest first."""
    refs, nodes = [], []
    for number, (sv, abbreviations, english, valid_from, valid_through) in enumerate(renamed["names"], 1):
        node = f"<org/{key}/name/{number}>"
        refs.append(f"esam:hasName {node}")
        props = [f"skos:prefLabel {lit(sv, 'sv')}"]
        props += [f"skos:altLabel {lit(a, 'sv')}" for a in abbreviations]
        if english:
            props.append(f"skos:prefLabel {lit(english, 'en')}")
        if valid_from:
            props.append(f"schema:validFrom {date_literal(valid_from)}")
        if valid_through:
            props.append(f"schema:validThrough {date_literal(valid_through)}")
        props += [f"dcterms:source <{source}>" for source in renamed["sources"]]
        nodes.append(f"{node} a esam:OrganisationName ;\n    " + " ;\n    ".join(props) + " .\n")
    return refs, nodes


def entry(key, name, alts, english, org_number, wikidata, website, sources, kind="agency", comment=None,
          start=None, end=None, replaces=(), renamed=None):
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
        props.append(f"schema:foundingDate {date_literal(start)}")
    if end:
        props.append(f"schema:dissolutionDate {date_literal(end)}")
    for predecessor in sorted(replaces):
        props.append(f"dcterms:replaces <org/{predecessor}>")
    nodes = []
    if renamed:
        refs, nodes = name_records(key, renamed)
        props += refs
    if comment:
        props.append(f"rdfs:comment {lit(comment, 'sv')}")
    for source in sources:
        props.append(f"dcterms:source <{source}>")
    return lines[0] + " ;\n    " + " ;\n    ".join(props) + " .\n" + "".join(nodes)


def body(name, alts, english, comment):
    props = [f"skos:prefLabel {lit(name, 'sv')}", f"skos:prefLabel {lit(english, 'en')}"]
    props += [f"skos:altLabel {lit(a, 'sv')}" for a in sorted(set(alts) - {name})]
    props += ["org:unitOf <org/esamverkansprogrammet>", f"rdfs:comment {lit(comment, 'sv')}",
              f"dcterms:source <{FORUMS}>"]
    return (f"<group/{slug(name)}> a org:OrganizationalUnit ;\n    " + " ;\n    ".join(props) + " .\n"
            f"<org/esamverkansprogrammet> org:hasUnit <group/{slug(name)}> .\n")


def header():
    return [
        "# Generated by tools/gen_reference.py from ../shared/reference/ — do not edit by hand.\n",
        "# Relative IRIs are resolved against esam-kg's configured base IRI.\n",
        "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n",
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix adms: <http://www.w3.org/ns/adms#> .\n",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix schema: <http://schema.org/> .\n",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix esam: <https://w3id.org/esam-kg/ns#> .\n",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix void: <http://rdfs.org/ns/void#> .\n\n",
        "<graph/reference> a dcat:Dataset, void:Dataset ;\n",
        f"    dcterms:title {lit('Referensdata för esam-kg', 'sv')}, {lit('Reference data of esam-kg', 'en')} ;\n",
        f"    dcterms:description {lit('Svenska myndigheter (nuvarande och tidigare) med identifierare och namn över tid, organisationer som inte är myndigheter, eSams organ och DIGG:s byggblock (Ena).', 'sv')} ;\n",
        f'    owl:versionInfo "{VERSION}" ;\n    dcterms:modified "{MODIFIED}"^^xsd:date ;\n',
        f"    dcterms:source <{MYNDIGHETSDATA}>, <{FORUMS}>, <https://www.digg.se/ledning-och-samordning/ena---sveriges-digitala-infrastruktur> .\n\n",
    ]


def main():
    curated = read_tsv("authorities-curated.tsv")
    agencies = read_tsv("swedish-agencies.tsv")
    out = header()
    keys, numbers, names = set(), set(), set()
    # Agency rows to write, with their keys fixed first so that predecessors can be linked.
    planned = []

    def add(key, text):
        if key in keys:
            sys.exit(f"duplicate key {key}")
        keys.add(key)
        out.append(text)

    for row in HAND:
        name, alts, english, kind, homepage, wikidata, source, comment = row
        add(slug(name), entry(slug(name), name, alts, english, None, wikidata, homepage, [source], kind, comment))
        names.add(name.lower())
    register_by_number = {}
    for row in sorted(agencies, key=lambda r: bool(r["end"])):  # rows in force first
        if row["org_nr"]:
            register_by_number.setdefault(row["org_nr"], row)
    curated_entries = []
    for row in curated:
        name = row["name"]
        alts = [a for a in row["abbreviations"].split(";") if a and a != "Länsstyrelserna"]
        sources = [s.split(" (")[0].strip() for s in row["source"].split(" ; ") if s.strip().startswith("http")]
        renamed = RENAMES.get(row["org_number"])
        english = row["english_name"]
        register = register_by_number.get(row["org_number"], {})
        if renamed:
            # The official name is the current one; every name it went by stays a label.
            current = renamed["names"][-1]
            alts = alts + [n for rec in renamed["names"] for n in [rec[0], *rec[1]]]
            name_now, english = current[0], current[2]
            sources = sources + [s for s in renamed["sources"] if s not in sources]
        else:
            name_now = name
        curated_entries.append((slug(name), name_now, alts, english, row["org_number"], row["wikidata"],
                                row["website"], sources, register))
        numbers.add(row["org_number"])
        names.update(n.lower() for n in [name, name_now])
    numbers_in_force = {r["org_nr"] for r in agencies if r["org_nr"] and not r["end"]}
    org_number_counts = {}
    for row in agencies:
        if row["org_nr"]:
            org_number_counts[row["org_nr"]] = org_number_counts.get(row["org_nr"], 0) + 1
    for row in agencies:
        name = row["name"].strip()
        if is_upper(name) or name.lower() in names or row["org_nr"] in numbers:
            continue
        if row["end"] and row["org_nr"] in numbers_in_force:
            continue  # a new instruction for an agency that goes on, not its end
        key, end = slug(name), row["end"] or None
        if row["org_nr"] == OLD_STATSKONTORET[1]:
            name, (key, _, end) = "Statskontoret", OLD_STATSKONTORET
        elif name.startswith("Avvecklingsmyndigheten") or "(" in name:
            continue
        if key in keys or any(key == p[0] for p in planned):
            # An ended agency with the name of another: told apart by its start year.
            key = f"{key}-{(row['start'] or 'x')[:4]}"
            if key in keys or any(key == p[0] for p in planned):
                continue
        planned.append((key, name, row, end))
        names.add(name.lower())
    key_by_name = {}
    for key, name, _, _ in planned:
        key_by_name.setdefault(name.lower(), []).append(key)
    def predecessors_of(row, key):
        return {k[0] for p in row.get("replaces", "").split(";") if p
                for k in [key_by_name.get(p.strip().lower(), [])] if len(k) == 1 and k[0] != key}

    for key, name_now, alts, english, number, wikidata, website, sources, register in curated_entries:
        add(key, entry(key, name_now, alts, english, number, wikidata, website, sources,
                       start=register.get("start") or None, replaces=predecessors_of(register, key),
                       renamed=RENAMES.get(number)))
    for key, name, row, end in planned:
        alts = [o for o in row["other_names"].split(";") if o and not is_upper(o) and o.lower() not in names]
        unique_number = row["org_nr"] if org_number_counts.get(row["org_nr"]) == 1 else None
        predecessors = predecessors_of(row, key)
        add(key, entry(key, name, alts, row["name_en"], unique_number, row["wikidata"], row["website"],
                       [MYNDIGHETSDATA], start=row["start"] or None, end=end, replaces=predecessors))
    # The ministries the register names as the agencies' principals, as units of the
    # Government Offices (no dates: the register gives none, and some names are of earlier
    # governments' ministries).
    ministries = sorted({r["department"] for r in agencies
                         if r["department"].endswith("departementet") or r["department"] == "Statsrådsberedningen"})
    for ministry in ministries:
        key = slug(ministry)
        if key in keys:
            continue
        add(key, f"<org/{key}> a org:Organization, org:OrganizationalUnit ;\n    skos:prefLabel {lit(ministry, 'sv')} ;\n"
                 f"    org:unitOf <org/regeringskansliet> ;\n    dcterms:source <{MYNDIGHETSDATA}> .\n"
                 f"<org/regeringskansliet> org:hasUnit <org/{key}> .\n")
    for name, alts, english, comment in BODIES:
        out.append(body(name, alts, english, comment))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("".join(out))
    print(f"wrote {len(keys)} organisations and {len(BODIES)} eSam bodies to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
