"""Validates the OpenAPI document of a running esam-kg and calls every documented
view as documented. Usage: openapi_check.py BASE_URL (e.g. http://127.0.0.1:7878).
Prints one line per check and exits non-zero on the first failure."""
import json
import sys
import urllib.parse
import urllib.request

import jsonschema
from openapi_spec_validator import validate

base = sys.argv[1].rstrip("/")


def check(name, condition, detail=""):
    if not condition:
        print(f"FAIL {name} {detail}")
        sys.exit(1)
    print(f"ok {name}")


def fetch(path, accept):
    request = urllib.request.Request(base + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


status, _, body = fetch("/openapi.json", "application/json")
document = json.loads(body)
validate(document)
check("openapi document validates", status == 200)

schemas = document["components"]["schemas"]
for path, item in sorted(document["paths"].items()):
    operation = item["get"]
    params = {}
    for parameter in operation["parameters"]:
        if "$ref" in parameter:
            continue
        if parameter.get("required"):
            check(f"{path} documents an example for required {parameter['name']}", "example" in parameter)
            params[parameter["name"]] = parameter["example"]
    query = "?" + urllib.parse.urlencode(params) if params else ""
    for media_type in operation["responses"]["200"]["content"]:
        status, content_type, body = fetch(path + query, media_type)
        check(f"{path} answers {media_type}", status == 200 and content_type.startswith(media_type.split(";")[0]),
              f"{status} {content_type}")
        if media_type == "application/json":
            result = json.loads(body)
            jsonschema.validate(result, schemas["ViewResult"])
            check(f"{path} JSON matches ViewResult and has rows", len(result["rows"]) > 0, str(result)[:200])
