"""Real SPARQL clients against a running esam-kg: SPARQLWrapper (JSON, XML, CSV,
CONSTRUCT as Turtle) and rdflib's SPARQLStore. Usage: python_clients.py ENDPOINT.
Prints one line per check and exits non-zero on the first failure."""
import csv
import io
import sys

import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

endpoint = sys.argv[1]
PREFIXES = """PREFIX esam: <https://w3id.org/esam-kg/ns#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
PARTICIPATION = PREFIXES + """SELECT ?project ?member WHERE {
  ?g skos:prefLabel "Finansiell status"@sv ; org:hasMember ?o . ?o skos:prefLabel ?member .
  BIND("Finansiell status" AS ?project) FILTER(lang(?member) = "sv")
} ORDER BY ?member"""


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    print(f"ok {name}")


client = SPARQLWrapper(endpoint)
client.setQuery(PARTICIPATION)
client.setReturnFormat(JSON)
bindings = client.query().convert()["results"]["bindings"]
members = [b["member"]["value"] for b in bindings]
check("sparqlwrapper json", "Kronofogdemyndigheten" in members and len(members) == 8, members)

client.setReturnFormat(XML)
document = client.query().convert()
check("sparqlwrapper xml", len(document.getElementsByTagName("result")) == 8)

client.setReturnFormat(CSV)
rows = list(csv.reader(io.StringIO(client.query().convert().decode("utf-8"))))
check("sparqlwrapper csv", rows[0] == ["project", "member"] and len(rows) == 9, rows[:2])

client.setQuery(PREFIXES + "CONSTRUCT { ?d a esam:Newsletter } WHERE { ?d a esam:Newsletter }")
client.setReturnFormat(TURTLE)
graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
check("sparqlwrapper construct turtle", len(graph) == 2, len(graph))

store = SPARQLStore(endpoint)
newsletters = list(store.query(PREFIXES + "SELECT ?d WHERE { ?d a esam:Newsletter }"))
check("rdflib sparqlstore", len(newsletters) == 2, newsletters)
