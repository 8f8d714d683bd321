// Validates Knative and Istio objects offline with the @kubernetes-models JSON schemas.
// Input (stdin): a JSON array of objects. Output (stdout): a JSON array, one entry per object:
// {"index", "kind", "name", "status": "valid" | "invalid" | "unsupported", "error"?}.
"use strict";

const PACKAGES = {
  "serving.knative.dev": "@kubernetes-models/knative",
  "eventing.knative.dev": "@kubernetes-models/knative",
  "sources.knative.dev": "@kubernetes-models/knative",
  "networking.istio.io": "@kubernetes-models/istio",
};

function modelFor(apiVersion, kind) {
  const [group, version] = String(apiVersion).split("/");
  const pkg = PACKAGES[group];
  if (!pkg || !version) return null;
  try {
    return require(`${pkg}/${group}/${version}/${kind}`)[kind] || null;
  } catch (err) {
    if (err && err.code === "MODULE_NOT_FOUND") return null;
    throw err;
  }
}

function check(doc, index) {
  const result = { index, kind: doc.kind, name: (doc.metadata || {}).name };
  const Model = modelFor(doc.apiVersion, doc.kind);
  if (!Model) return { ...result, status: "unsupported" };
  try {
    new Model(doc).validate();
    return { ...result, status: "valid" };
  } catch (err) {
    return { ...result, status: "invalid", error: String(err && err.message ? err.message : err) };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const docs = JSON.parse(input);
  process.stdout.write(JSON.stringify(docs.map(check)) + "\n");
});
