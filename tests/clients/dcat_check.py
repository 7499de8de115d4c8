"""Checks the dataset description of a running esam-kg against SHACL shapes for
DCAT-AP-SE's mandatory properties (pySHACL), as the portal harvests it (RDF/XML),
and checks that the shapes do catch a broken description.
Usage: dcat_check.py BASE_URL SHAPES.ttl. One line per check; non-zero exit on failure."""
import sys
import urllib.request

import rdflib
from pyshacl import validate

base, shapes_path = sys.argv[1].rstrip("/"), sys.argv[2]
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    print(f"ok {name}")


request = urllib.request.Request(base + "/dataset", headers={"Accept": "*/*"})
with urllib.request.urlopen(request, timeout=60) as response:
    check("served as RDF/XML by default", response.headers["Content-Type"].startswith("application/rdf+xml"))
    body = response.read()
data = rdflib.Graph().parse(data=body, format="xml")
shapes = rdflib.Graph().parse(shapes_path, format="turtle")
check("parses", len(data) > 20, str(len(data)))
for kind in (DCAT.Catalog, DCAT.Dataset, DCAT.Distribution, DCAT.DataService):
    check(f"has a {kind}", any(data.subjects(rdflib.RDF.type, kind)))
conforms, _, report = validate(data, shacl_graph=shapes)
check("conforms to the DCAT-AP-SE shapes", conforms, report)

# The shapes must be able to fail: a dataset without a title, a blank-node publisher.
broken = rdflib.Graph()
for triple in data:
    broken.add(triple)
for dataset in list(broken.subjects(rdflib.RDF.type, DCAT.Dataset)):
    broken.remove((dataset, DCT.title, None))
conforms, _, _ = validate(broken, shacl_graph=shapes)
check("a dataset without a title is caught", not conforms)
blank = rdflib.Graph()
publisher = rdflib.BNode()
for s, p, o in data:
    if p == DCT.publisher:
        o = publisher
    blank.add((s, p, o))
conforms, _, _ = validate(blank, shacl_graph=shapes)
check("a blank-node publisher is caught", not conforms)
