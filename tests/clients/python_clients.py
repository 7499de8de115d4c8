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

# rdflib as an independent parser of what the server publishes.
import urllib.parse
import urllib.request

from rdflib.compare import isomorphic

site = endpoint.rsplit("/sparql", 1)[0]


def fetch(path, accept):
    request = urllib.request.Request(site + path, headers={"Accept": accept})
    with urllib.request.urlopen(request) as response:  # follows the identifiers' 303s
        return response.read()


# The canonical dump, graph by graph, is what the Graph Store endpoint holds for that graph.
dump = rdflib.Dataset()
dump.parse(data=fetch("/dump.nq", "application/n-quads"), format="nquads")
named = [g for g in dump.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(g) > 0]
check("rdflib parses the dump", len(named) == 4, [str(g.identifier) for g in named])
for graph in named:
    held = rdflib.Graph().parse(
        data=fetch("/store?graph=" + urllib.parse.quote(str(graph.identifier), safe=""), "text/turtle"),
        format="turtle",
    )
    check(f"dump graph {graph.identifier} isomorphic to the store's", isomorphic(graph, held), f"{len(graph)} vs {len(held)}")

# A resource's description in every format parses to the same graph.
forms = {
    "turtle": "text/turtle",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}
descriptions = {
    name: rdflib.Graph().parse(data=fetch("/id/org/skatteverket", accept), format=name)
    for name, accept in forms.items()
}
turtle = descriptions["turtle"]
label = (rdflib.URIRef("http://127.0.0.1:7878/id/org/skatteverket"), rdflib.SKOS.prefLabel, rdflib.Literal("Skatteverket", lang="sv"))
check("resource page as turtle", len(turtle) > 20 and label in turtle, len(turtle))
for name, graph in descriptions.items():
    check(f"resource page as {name} isomorphic to turtle", isomorphic(graph, turtle), f"{len(graph)} vs {len(turtle)}")
