import Foundation
import FoundationXML
import StrictJSON
import TestSupport
import Testing

/// `gatehouse run`: a passing scenario exits 0, a failing assertion exits 5 naming its line, JUnit parses.
@Suite(.timeLimit(.minutes(5)))
struct RunCommandTests {
    @Test("scenarios: pass, fail with the line, keep going, JSON and JUnit")
    func scenarios() async throws {
        try await ServerSlots.run {
            let fixture = try IdentityFixture()
            let gatehouse = try Gatehouse()
            let profile = try fixture.profile([
                "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good"))),
                "plain": try fixture.server(location: "none", block: nil),
            ])
            let passing = """
                # every assertion holds
                expect trust good verified
                expect trust plain unverified
                expect tools good includes echo
                good.add a=2 b=40
                expect ok
                expect json .content[0].text == "42"
                good.structured city=Bergen
                expect json .structuredContent.city == "Bergen"
                plain.echo text=x
                expect exit 1
                allow plain
                plain.echo text=allowed
                expect text contains "allowed"
                good.fail reason=boom
                expect exit 4
                expect error tool.error
                """
            let scenarioPath = fixture.directory + "/pass.scenario"
            try Data(passing.utf8).write(to: URL(fileURLWithPath: scenarioPath))
            let store = ["--trust-store", fixture.directory + "/t.json"]
            let ok = try await gatehouse.run(["run", scenarioPath, "--profile", profile] + store, timeout: 120)
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stdout.contains("10 passed, 0 failed"))

            let failing = "good.add a=1 b=1\nexpect json .content[0].text == \"3\"\nexpect ok\nexpect text contains \"nope\"\n"
            let failPath = fixture.directory + "/fail.scenario"
            try Data(failing.utf8).write(to: URL(fileURLWithPath: failPath))
            let failed = try await gatehouse.run(["run", failPath, "--profile", profile] + store, timeout: 120)
            #expect(failed.status == 5)
            #expect(failed.stderr.contains("\(failPath):2:"))
            #expect(failed.stdout.contains("0 passed, 1 failed"), "stops at the first failure")
            let kept = try await gatehouse.run(["run", failPath, "--profile", profile, "--keep-going", "--format", "json"] + store, timeout: 120)
            #expect(kept.status == 5)
            let report = try JSONParser().parse(kept.stdout)
            #expect(report["passed"] == 1)
            #expect(report["failed"] == 2)
            #expect(report["assertions"]?.arrayValue?.map { $0["line"] ?? .null } == [2, 3, 4])

            let junit = try await gatehouse.run(["run", failPath, "--profile", profile, "--keep-going", "--format", "junit"] + store, timeout: 120)
            let document = try XMLDocument(data: Data(junit.stdout.utf8))
            #expect(try document.nodes(forXPath: "//testcase").count == 3)
            #expect(try document.nodes(forXPath: "//testcase/failure").count == 2)

            let bad = try await gatehouse.run(["run", "-", "--profile", profile] + store, input: Data("expect banana\n".utf8))
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("-:1:"))
        }
    }
}

/// A scenario line is a REPL line: the same verbs, parsed by the same tree, run by the same runner.
@Suite(.timeLimit(.minutes(5)))
struct ScenarioVerbTests {
    @Test("scenarios accept every REPL verb, and a malformed line is a usage error with the parser's reason")
    func replVerbs() async throws {
        try await ServerSlots.run {
            let fixture = try IdentityFixture()
            let profile = try fixture.profile([
                "good": try fixture.server(location: "result._meta", block: fixture.block("aii_good", passport: fixture.passport("aii_good")))
            ])
            let scenario = """
                describe good.echo
                expect ok
                expect text contains "pin sha256:"
                trust good
                expect text contains "signature"
                call good.add {"a": 2, "b": 3}
                expect json .content[0].text == "5"
                log good
                expect text contains "== good"
                frobnicate
                expect error usage.invalid
                allow
                expect exit 2
                expect text contains "allow"
                good.nothing
                expect exit 2
                quit
                expect ok
                """
            let path = fixture.directory + "/verbs.scenario"
            try Data(scenario.utf8).write(to: URL(fileURLWithPath: path))
            let output = try await Gatehouse().run(
                ["run", path, "--profile", profile, "--trust-store", fixture.directory + "/t.json"], timeout: 120
            )
            #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
            #expect(output.stdout.contains("9 passed, 0 failed"), "quit ends the scenario before its last line: \(output.stdout)")
            #expect(output.stdout.contains("unknown command \"frobnicate\""), "\(output.stdout)")
        }
    }
}
