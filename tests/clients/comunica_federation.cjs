// Client-side federation with Comunica (@comunica/query-sparql from npm, installed by
// scripts/ensure-test-deps into $ESAM_KG_NODE_MODULES): one query over two sources, a SPARQL
// endpoint and a local RDF file (given to Comunica as serialized Turtle).
//
//   node comunica_federation.cjs ENDPOINT FILE.ttl QUERY
//
// Prints the bindings as a JSON array of {variable: value}; exits 2 if the query fails.
const fs = require("fs");
const path = require("path");

const { QueryEngine } = require(path.join(process.env.ESAM_KG_NODE_MODULES || "", "@comunica/query-sparql"));

(async () => {
  const [endpoint, file, query] = process.argv.slice(2);
  const engine = new QueryEngine();
  const stream = await engine.queryBindings(query, {
    sources: [
      { type: "sparql", value: endpoint },
      { type: "serialized", value: fs.readFileSync(file, "utf8"), mediaType: "text/turtle", baseIRI: `file://${file}` },
    ],
  });
  const rows = (await stream.toArray()).map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, v.value])));
  console.log(JSON.stringify(rows));
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
