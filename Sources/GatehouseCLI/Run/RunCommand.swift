import ArgumentParser
import Foundation
import GatehouseHost
import StrictJSON
import TerminalText

/// `gatehouse run FILE|-` (SPEC §4): a scenario of REPL commands and assertions; exit 5 when one fails.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a scenario of commands and expect assertions (docs/scenarios.md)."
    )

    @Argument(help: "The scenario file, or - for standard input.")
    var file: String

    @OptionGroup var profileOptions: ProfileOptions

    @Flag(name: .customLong("keep-going"), help: "Run every line even after a failed assertion.")
    var keepGoing = false

    @Option(help: "text, json or junit.")
    var format: RunFormat = .text

    @OptionGroup var common: CommonOptions

    struct Result {
        let line: Int
        let text: String
        let failure: String?
    }

    func run() async throws {
        let source: String
        if file == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.usage("cannot read \(file)") }
            source = String(decoding: data, as: UTF8.self)
        }
        let scenario: Scenario
        do {
            scenario = try Scenario.parse(source, file: file)
        } catch {
            throw CLIError.usage("\(file):\(error.line): \(error.message)")
        }
        let profile = try profileOptions.load()
        let host = try HostFactory.make(profile, common: common)
        await host.setFollowListChanges(false)
        _ = await host.connect()
        await HostFactory.save(host)
        let runner = CommandRunner(host: host, profile: profile, color: false)
        let assertions = ScenarioAssertions(host: host)
        var results: [Result] = []
        var last: CommandOutcome?
        steps: for line in scenario.lines {
            switch line.step {
            case .command(let command):
                let outcome = await runner.run(command)
                if outcome.quits { break steps }
                last = outcome
                if format == .text, !outcome.text.isEmpty { Console.out(outcome.text) }
            case .expectation(let expectation):
                let failure = await assertions.check(expectation, after: last)
                results.append(Result(line: line.number, text: line.text, failure: failure))
                if format == .text {
                    Console.out(failure.map { "✘ \(file):\(line.number): \(line.text): \($0)" } ?? "✔ \(file):\(line.number): \(line.text)")
                }
            }
            if results.last?.failure != nil && !keepGoing { break }
        }
        await host.close()
        let failed = results.filter { $0.failure != nil }
        switch format {
        case .text: Console.out("\(results.count - failed.count) passed, \(failed.count) failed")
        case .json: Console.document(JSONSerializer.string(json(results), style: .pretty))
        case .junit: Console.document(junit(results))
        }
        if let first = failed.first {
            Console.error("error[\(CLIError.Code.assertionFailed)]: \(file):\(first.line): \(first.failure ?? "")")
            throw CommandExit(status: ExitStatus.assertionFailed)
        }
    }

    private func json(_ results: [Result]) -> JSONValue {
        let assertions: [JSONValue] = results.map { result in
            var object: JSONObject = ["line": .number(JSONNumber(Int64(result.line))), "assertion": .string(result.text),
                                      "passed": .bool(result.failure == nil)]
            if let failure = result.failure { object["message"] = .string(failure) }
            return .object(object)
        }
        let failed = results.filter { $0.failure != nil }.count
        return ["scenario": .string(file), "passed": .number(JSONNumber(Int64(results.count - failed))),
                "failed": .number(JSONNumber(Int64(failed))), "assertions": .array(assertions)]
    }

    private func junit(_ results: [Result]) -> String {
        let escape = XMLText.escape
        let failed = results.filter { $0.failure != nil }.count
        let cases = results.map { result in
            let name = escape("line \(result.line): \(result.text)")
            guard let failure = result.failure else { return "    <testcase classname=\"\(escape(file))\" name=\"\(name)\"/>" }
            return "    <testcase classname=\"\(escape(file))\" name=\"\(name)\"><failure message=\"\(escape(failure))\"/></testcase>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="\(results.count)" failures="\(failed)">
              <testsuite name="\(escape(file))" tests="\(results.count)" failures="\(failed)">
            \(cases.joined(separator: "\n"))
              </testsuite>
            </testsuites>
            """
    }
}

/// Output formats of `gatehouse run`.
enum RunFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text
    case json
    case junit
}
