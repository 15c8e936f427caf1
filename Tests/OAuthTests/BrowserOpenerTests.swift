import Foundation
import OAuth
import Testing

struct BrowserOpenerTests {
    @Test(
        "URLs that are never opened",
        arguments: [
            "http://evil.example/x", "javascript:alert(1)", "https://a/$(id)", "https://a/;rm", "https://a/ b",
            "https://a/`id`",
            "https://a/'x'", "https://a/\"x\"", "https://a/\u{7}", "https://a/é", "file:///etc/passwd",
            "HTTP://evil.example/x",
            "https://a/x\\y", "https://a/x\ny", "http://127.evil.example.x/a", "http://127.0.0.1.nip.io/a",
        ])
    func refused(_ url: String) throws {
        let script = try BrowserScript()
        let opener = BrowserOpener(environment: ["BROWSER": script.path, "DISPLAY": ":0"])
        #expect(throws: OAuthError.self) { try opener.open(url) }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(!FileManager.default.fileExists(atPath: script.output))
    }

    @Test("$BROWSER is run with the URL as its one argument, no shell in between")
    func launchesBrowser() throws {
        let script = try BrowserScript()
        let url =
            "https://auth.example/authorize?response_type=code&state=a-b_c~d&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2Fcallback&scope=a+b"
        let outcome = try BrowserOpener(environment: ["BROWSER": script.path]).open(url)
        #expect(outcome == .launched(program: script.path))
        let arguments = try script.recordedArguments()
        #expect(arguments == [url])
    }

    @Test("loopback http is opened; without BROWSER or a display nothing is run")
    func loopbackAndHeadless() throws {
        let script = try BrowserScript()
        #expect(
            try BrowserOpener(environment: ["BROWSER": script.path]).open("http://127.0.0.1:8080/authorize?x=1")
                == .launched(program: script.path))
        #expect(try script.recordedArguments() == ["http://127.0.0.1:8080/authorize?x=1"])
        #expect(try BrowserOpener(environment: [:]).open("https://auth.example/a") == .printedOnly)
        #expect(
            try BrowserOpener(environment: ["BROWSER": "/nonexistent/browser"]).open("https://auth.example/a")
                == .printedOnly)
    }
}

/// A `$BROWSER` that writes its arguments, one per line, to a file.
struct BrowserScript {
    let path: String
    let output: String

    init() throws {
        let directory = try temporaryDirectory()
        path = directory + "/browser.sh"
        output = directory + "/argv.txt"
        let text = "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > '\(output).partial'\nmv '\(output).partial' '\(output)'\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// The arguments the script received (waiting up to 5 s for it to run).
    func recordedArguments() throws -> [String] {
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: output) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
        guard let count = lines.first.flatMap({ Int($0) }) else { return [] }
        return Array(lines.dropFirst().prefix(count))
    }
}
