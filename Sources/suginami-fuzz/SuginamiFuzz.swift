import Foundation
import SuginamiFuzzing

#if FUZZING
    // Built with `-sanitize=fuzzer -DFUZZING` (make fuzz): libFuzzer provides `main` and calls
    // this for every input. The kind of input comes from SUGINAMI_FUZZ_TARGET.
    nonisolated(unsafe) private let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SUGINAMI_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set SUGINAMI_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// libFuzzer's entry point: one input, which must come back (0) and never crash or hang.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
        let data = start.map { Data(bytes: $0, count: count) } ?? Data()
        _ = target.consume(data)
        return 0
    }
#else
    /// Without the fuzzer: `suginami-fuzz KIND FILE…` feeds files to a reader and prints what
    /// became of each, to reproduce a crash the fuzzer found.
    @main
    struct SuginamiFuzz {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print(
                    "usage: suginami-fuzz KIND FILE…; KIND: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))"
                )
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    continue
                }
                switch target.consume(data) {
                case .accepted: print("\(path): accepted")
                case .refused(let reason): print("\(path): refused: \(reason)")
                }
            }
        }
    }
#endif
