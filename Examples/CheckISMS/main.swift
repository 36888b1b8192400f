import Foundation
import SuginamiSecurity

// Check a system inventory against the ISMS rules and write the OSCAL results, the statement
// of applicability and the report: what `refd isms check` does, through the public API alone.
//
//   check-isms INVENTORY EVIDENCE-DIRECTORY WAIVERS OUT 2026-11-27T09:00:00+09:00
let arguments = CommandLine.arguments
guard arguments.count == 6, let time = Timestamp(arguments[5]) else {
    print("usage: check-isms INVENTORY EVIDENCE-DIRECTORY WAIVERS OUT 2026-11-27T09:00:00+09:00")
    exit(2)
}
do {
    let check = try ISMSCheck(
        inventory: URL(fileURLWithPath: arguments[1]), evidence: URL(fileURLWithPath: arguments[2]),
        waivers: URL(fileURLWithPath: arguments[3]), at: time)
    try check.write(to: URL(fileURLWithPath: arguments[4]))
    let counts = check.result.ruleCounts
    print(Verdict.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
} catch {
    // Every error of the SDK says what is wrong and where (file, row, field, reason).
    print("error: \(error)")
    exit(1)
}
