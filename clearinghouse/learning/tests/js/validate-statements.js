// Reads a JSON array of xAPI statements on stdin; writes, for each, the warnings of Learning
// Locker's xapi-validation (an empty list for a valid statement) as JSON on stdout.
"use strict";
const validate = require("xapi-validation").default;

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const statements = JSON.parse(input);
  const found = statements.map((statement) =>
    validate(statement).map((warning) => ({
      warning: warning.constructor.name,
      path: warning.path.join("."),
      data: warning.data === undefined ? null : warning.data,
    })),
  );
  process.stdout.write(JSON.stringify(found));
});
