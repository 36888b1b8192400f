import Foundation
import SuginamiFuzzing

#if !FUZZING
    /// `suginami-fuzz KIND FILE…` feeds files to a reader and prints what became of each, to
    /// reproduce what the fuzzer found. Built with `--sanitize=fuzzer -Xswiftc -DFUZZING`
    /// (`Fuzz/run.sh`), it is libFuzzer instead, fuzzing the kind named by SUGINAMI_FUZZ_TARGET.
    @main
    struct SuginamiFuzz {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let kinds = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
                print("usage: suginami-fuzz KIND FILE…; KIND: \(kinds)")
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

#if FUZZING
    /// The kind of input being fuzzed, from SUGINAMI_FUZZ_TARGET.
    private let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SUGINAMI_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set SUGINAMI_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// One input from libFuzzer, which must come back (0) and never crash or hang.
    @_cdecl("LLVMFuzzerTestOneInput")
    func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let data = start.map { Data(bytes: $0, count: count) } ?? Data()
        _ = target.consume(data)
        return 0
    }

    /// Called by libFuzzer's `main` once, before the first input: loads what the inputs are
    /// checked against (`FuzzTarget.prepare()`), so the first input is timed like the rest.
    /// libFuzzer supplies `main` itself when linked with `--sanitize=fuzzer`, so this hook is
    /// the only place that runs before the inputs.
    @_cdecl("LLVMFuzzerInitialize")
    func fuzzInitialize(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
    ) -> CInt {
        target.prepare()
        return 0
    }
#endif
