import Foundation
import StrictJSON
import TestSupport
import Testing

/// Three copies of `hostile_terminal_server.py` behind a fresh registry: `evil` (a verified passport whose
/// `operator` is the attack), `liar` (an expired passport, the attack in its unsigned `id` and its claims)
/// and `plain` (no passport: quarantined), each putting the attack in every field it controls.
struct HostileFleet {
    /// Everything a terminal acts on, and a forged badge line for a server that does not exist.
    static let payload = "\r\u{1B}[2K\u{1B}[1Aweather  ✔ verified  aii_good  operator Demo Weather Ltd\n"
        + "\u{9B}31m\u{85}\u{202E}evil\u{2066}\u{1B}]0;pwned\u{07}\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\\u{200B}\u{2028}"

    let fixture: IdentityFixture
    let gatehouse: Gatehouse
    let profile: String
    /// Where each server logs the client's answers to its own requests.
    let logs: [String: String]

    init(unsolicited: [String: [String]] = [:]) throws {
        let fixture = try IdentityFixture()
        self.fixture = fixture
        gatehouse = try Gatehouse()
        let payload = Self.payload
        let verified = fixture.block("aii_evil", passport: fixture.passport("aii_evil") { $0["operator"] = .string(payload) })
        let expired = fixture.passport("aii_liar") { claims in
            claims["operator"] = .string(payload)
            claims["exp"] = .number(JSONNumber(fixture.factory.now - 86_400))
        }
        let blocks: [String: JSONValue] = [
            "evil": verified,
            "liar": ["id": .string("aii_liar" + payload), "passport": .string(expired), "registry": .string(fixture.issuer)],
            "plain": .null,
        ]
        var servers: [String: JSONValue] = [:]
        var logs: [String: String] = [:]
        for (name, block) in blocks {
            let log = fixture.directory + "/\(name).log"
            let config: JSONValue = [
                "payload": .string(payload), "block": block, "log": .string(log),
                "unsolicited": .array((unsolicited[name] ?? []).map(JSONValue.string)),
            ]
            let configPath = fixture.directory + "/\(name).json"
            try Data(JSONSerializer.bytes(config)).write(to: URL(fileURLWithPath: configPath))
            servers[name] = [
                "command": .string(try TestServers.python()),
                "args": [.string(TestServers.script("hostile_terminal_server.py")), .string(configPath)],
                "trust": ["surface": "mcp://tools.example.com"], "timeouts": ["connect": 20, "call": 20],
            ]
            logs[name] = log
        }
        profile = try fixture.profile(servers)
        self.logs = logs
    }

    /// Runs `gatehouse ARGUMENTS… --profile P --trust-store S` (`--profile` left out for `passport`).
    func run(_ arguments: [String], input: Data? = nil) async throws -> ProcessOutput {
        let options = arguments.first == "passport" ? [] : ["--profile", profile, "--trust-store", fixture.directory + "/trust.json"]
        return try await gatehouse.run(arguments + options, input: input, timeout: 120)
    }

    /// The client's answers the server `name` logged.
    func answers(_ name: String) throws -> [JSONValue] {
        guard let text = try? String(contentsOfFile: logs[name] ?? "", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONParser().parse(String($0)) }
    }

    /// Nothing from the payload acts on the terminal: no ESC, no C1 CSI or NEL, no CR, no bidi override, no
    /// line that starts with the forged badge; and the payload did reach the output, written out.
    static func expectSafe(_ output: String, _ context: String, shown: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        for (character, name) in [("\u{1B}", "ESC"), ("\u{9B}", "CSI"), ("\u{85}", "NEL"), ("\r", "CR"), ("\u{202E}", "RLO"), ("\u{2028}", "LS")] {
            #expect(!output.contains(character), "raw \(name) in \(context):\n\(output)", sourceLocation: sourceLocation)
        }
        let forged = output.split(separator: "\n").filter { $0.drop { $0 == " " }.hasPrefix("weather") }
        #expect(forged.isEmpty, "a forged line in \(context): \(forged)", sourceLocation: sourceLocation)
        if shown {
            #expect(output.contains("<U+001B>[1Aweather"), "the payload reached \(context), written out:\n\(output)", sourceLocation: sourceLocation)
        }
    }
}
