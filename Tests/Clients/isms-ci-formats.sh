#!/usr/bin/env bash
# The ISMS check's CI outputs read by the tools CI users run: Microsoft's `sarif` (sarif-tools,
# PyPI) summarises results.sarif, and junitparser (PyPI) reads junit.xml; both must agree with
# results.json on the unwaived fails and the waived ones. Installs the two into
# ~/.cache/suginami-peers/ci-formats on first use. The run takes the example's tailoring
# profile, whose changes must reach the results and the Statement of Applicability.
#
#   Tests/Clients/isms-ci-formats.sh [.build/debug/refd]
set -euo pipefail
cd "$(dirname "$0")/../.."
refd=${1:-.build/debug/refd}
venv="$HOME/.cache/suginami-peers/ci-formats"
if [ ! -x "$venv/bin/sarif" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet sarif-tools==3.0.5 junitparser==5.0.3
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$refd" isms check Examples/ISMS/inventory.yaml --evidence Examples/ISMS/evidence \
    --waivers Examples/ISMS/waivers.yaml --profile Examples/ISMS/profile.yaml --out "$work/out" \
    --at 2026-11-27T09:00:00+09:00 --fail-on never >/dev/null
"$venv/bin/sarif" summary "$work/out/results.sarif" >"$work/sarif.txt"
"$venv/bin/python" - "$work/out" "$work/sarif.txt" <<'PY'
import json, sys
from junitparser import JUnitXml, Failure, Skipped
out, summary = sys.argv[1], open(sys.argv[2]).read()
results = json.load(open(f"{out}/results.json"))
subjects = [s for o in results["outcomes"] for s in o["subjects"]]
unwaived = sum(1 for s in subjects if s["verdict"] == "fail" and not s.get("waiver"))
waived = sum(1 for s in subjects if s["verdict"] == "fail" and s.get("waiver"))
sarif = json.load(open(f"{out}/results.sarif"))
errors = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
suppressed = [r for r in errors if r.get("suppressions")]
junit_failures = junit_skipped_waived = 0
for suite in JUnitXml.fromfile(f"{out}/junit.xml"):
    for case in suite:
        for result in case.result:
            if isinstance(result, Failure): junit_failures += 1
            if isinstance(result, Skipped) and (result.message or "").startswith("waived"): junit_skipped_waived += 1
problems = []
if len(errors) - len(suppressed) != unwaived: problems.append(f"SARIF unsuppressed errors {len(errors) - len(suppressed)} != unwaived fails {unwaived}")
if len(suppressed) != waived: problems.append(f"SARIF suppressed {len(suppressed)} != waived fails {waived}")
if junit_failures != unwaived: problems.append(f"JUnit failures {junit_failures} != unwaived fails {unwaived}")
if junit_skipped_waived != waived: problems.append(f"JUnit waived skips {junit_skipped_waived} != waived fails {waived}")
if "error" not in summary.lower(): problems.append("sarif summary shows no errors: " + summary[:200])
# The profile's tailoring reaches the results and the SoA the tools read.
tailored = {o["rule"]["id"]: o.get("tailoring") for o in results["outcomes"] if o.get("tailoring")}
if set(tailored) != {"mic-auth-03", "mic-log-01"}: problems.append(f"tailored rules {sorted(tailored)}")
soa = open(f"{out}/statement-of-applicability.csv", encoding="utf-8").read()
if ",inherited," not in soa: problems.append("no inherited control in the SoA")
for problem in problems: print("FAIL", problem)
print(f"isms ci formats: sarif-tools and junitparser read {unwaived} unwaived and {waived} waived fails"
      + (" — ok" if not problems else ""))
sys.exit(1 if problems else 0)
PY
