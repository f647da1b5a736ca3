// Parses each file given as a script of the ECMAScript version given first (2019: DESIGN §13, the
// oldest phones' browsers); prints "file:line: message" for each that does not parse; exit 1 if any.
import { readFileSync } from "node:fs";
import { parse } from "acorn";

const [version, ...files] = process.argv.slice(2);
let failed = 0;
for (const file of files) {
  try {
    parse(readFileSync(file, "utf8"), { ecmaVersion: Number(version), sourceType: "script" });
  } catch (error) {
    failed += 1;
    console.log(`${file}:${error.loc ? error.loc.line : "?"}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
