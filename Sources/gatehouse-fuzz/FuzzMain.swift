// Fuzzing entry points (issue 7). Built two ways:
//   make fuzz: `swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -DGATEHOUSE_LIBFUZZER …`, then
//     GATEHOUSE_FUZZ_TARGET=jws .build-fuzz/debug/gatehouse-fuzz [libFuzzer flags] CORPUS_DIR
//   a normal build: `gatehouse-fuzz replay TARGET FILE…` runs inputs through a target (a crash to check),
//     `gatehouse-fuzz seed-token` prints a passport the jws fixture accepts, and
//     `gatehouse-fuzz verify-lines JWKS ISSUER NOW` is the trust core's side of Tests/Fuzz/differential.py.
import FuzzTargets
import Foundation
import StrictJSON

#if GATEHOUSE_LIBFUZZER
nonisolated(unsafe) var selectedTarget = FuzzTarget.jws

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget.runBlocking(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry point under this name; libFuzzer's driver runs from here.
@_cdecl("gatehouse_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set GATEHOUSE_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        return 2
    }
    selectedTarget = target
    var count = argc
    var vector = argv
    return runDriver(&count, &vector, fuzzOneInput)
}
#else
@main
struct FuzzReplay {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["seed-token"] {
            print(FuzzFixture.validToken())
            return
        }
        if arguments.count == 4, arguments[0] == "soak" {
            let summary = await Soak.run(python: arguments[1], script: arguments[2], calls: Int(arguments[3]) ?? 0)
            print(JSONSerializer.string(summary))
            return
        }
        if arguments.count == 4, arguments[0] == "verify-lines" {
            await verifyLines(jwks: arguments[1], issuer: arguments[2], now: Int64(arguments[3]) ?? 0)
            return
        }
        guard arguments.count >= 3, arguments[0] == "replay", let target = FuzzTarget(rawValue: arguments[1]) else {
            FileHandle.standardError.write(Data("""
                usage: gatehouse-fuzz replay \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...
                       gatehouse-fuzz seed-token
                       gatehouse-fuzz verify-lines JWKS_FILE ISSUER NOW < tokens   (the differential check)
                       gatehouse-fuzz soak PYTHON SOAK_SERVER_SCRIPT CALLS        (the fault-injection soak)

                """.utf8))
            exit(2)
        }
        for path in arguments[2...] {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            await target.run([UInt8](data))
            print("ok \(path)")
        }
    }

    /// One verdict line per token line on stdin.
    static func verifyLines(jwks: String, issuer: String, now: Int64) async {
        guard let keySet = FileManager.default.contents(atPath: jwks),
            let verifier = try? DifferentialVerifier(issuer: issuer, keySet: [UInt8](keySet), now: now)
        else {
            FileHandle.standardError.write(Data("cannot read the key set \(jwks)\n".utf8))
            exit(1)
        }
        while let token = readLine(strippingNewline: true) {
            print(await verifier.line(for: token))
        }
    }
}
#endif
