import Foundation
import StrictJSON
import TestSupport
import Testing

/// The CI examples under `examples/ci` (SPEC §10): the GitHub Actions workflow passes actionlint, the
/// Kubernetes manifests have what an Indexed Job needs, and the shell that the Kubernetes pods and the GitLab
/// jobs run is run here, shard by shard, against a real fleet and merged.
@Suite(.timeLimit(.minutes(5)))
struct AuditExamplesTests {
    let examples = Repository.root + "/examples/ci"

    /// A YAML file's documents as JSON, read by PyYAML.
    func yaml(_ path: String) async throws -> [JSONValue] {
        let script = "import json,sys,yaml\nprint(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let output = try await ChildProcess.run(try TestServers.python(), ["-c", script, path])
        guard output.status == 0 else { throw SupportError("PyYAML: \(output.stderr)") }
        return try JSONParser().parse(output.stdout).arrayValue ?? []
    }

    /// A fleet of 10 servers that fail at once, in `directory/fleet.json`: the examples' shell is about the split.
    func fleet(in directory: String) throws {
        var servers = JSONObject()
        for index in 0..<10 { servers["server-\(index)"] = ["command": .string("gatehouse-no-such-server-\(index)")] }
        try Data(JSONSerializer.bytes(["mcpServers": .object(servers)])).write(to: URL(fileURLWithPath: directory + "/fleet.json"))
    }

    /// Runs `script` with `/bin/sh` in `directory`, with gatehouse on PATH and `environment` added.
    func shell(_ script: String, in directory: String, environment: [String: String]) async throws -> ProcessOutput {
        var merged = ProcessInfo.processInfo.environment
        let binary = try Repository.gatehouseBinary()
        merged["PATH"] = (binary as NSString).deletingLastPathComponent + ":" + (merged["PATH"] ?? "/usr/bin:/bin")
        merged["XDG_STATE_HOME"] = directory + "/state"
        for (key, value) in environment { merged[key] = value }
        return try await ChildProcess.run("/bin/sh", ["-c", "cd \"$0\" && " + script, directory], environment: merged)
    }

    @Test("the GitHub Actions workflow passes actionlint")
    func githubWorkflow() async throws {
        let actionlint = Repository.root + "/.venv/bin/actionlint"
        let output = try await ChildProcess.run(actionlint, ["-no-color", examples + "/github/gatehouse-audit.yml"])
        #expect(output.status == 0, "actionlint: \(output.stdout) \(output.stderr)")
        let text = try String(contentsOfFile: examples + "/github/gatehouse-audit.yml", encoding: .utf8)
        #expect(text.contains("--shard \"${{ matrix.shard }}/$SHARDS\"") && text.contains("audit merge") && text.contains("upload-sarif"))
    }

    @Test("the Kubernetes Indexed Job: its fields, and its pods' shell run for each index, then the merge Job's")
    func kubernetesIndexedJob() async throws {
        let documents = try await yaml(examples + "/kubernetes/gatehouse-audit.yaml")
        let claim = try #require(documents.first { $0["kind"] == "PersistentVolumeClaim" })
        let job = try #require(documents.first { $0["kind"] == "Job" })
        #expect(job["apiVersion"] == "batch/v1")
        let spec = try #require(job["spec"])
        #expect(spec["completionMode"] == "Indexed")
        let shards = try #require(spec["completions"]?.numberValue?.int64Value)
        #expect(spec["parallelism"]?.numberValue?.int64Value == shards)
        let pod = try #require(spec["template"]?["spec"])
        #expect(pod["restartPolicy"] == "Never" || pod["restartPolicy"] == "OnFailure")
        let container = try #require(pod["containers"]?.arrayValue?.first)
        #expect(container["env"]?.arrayValue?.contains { $0["name"] == "SHARDS" && $0["value"] == .string(String(shards)) } == true)
        let script = try #require(container["args"]?.arrayValue?.first?.stringValue)
        #expect(script.contains("JOB_COMPLETION_INDEX") && script.contains("--shard"))
        let volumes = pod["volumes"]?.arrayValue ?? []
        #expect(volumes.contains { $0["persistentVolumeClaim"]?["claimName"] == claim["metadata"]?["name"] })
        let merge = try #require(try await yaml(examples + "/kubernetes/gatehouse-merge.yaml").first)
        #expect(merge["kind"] == "Job")
        let mergeScript = try #require(merge["spec"]?["template"]?["spec"]?["containers"]?.arrayValue?.first?["args"]?.arrayValue?.first?.stringValue)

        let directory = try Repository.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/reports", withIntermediateDirectories: true)
        try fleet(in: directory)
        let local = { (text: String) in text.replacingOccurrences(of: "/fleet/", with: "./").replacingOccurrences(of: "/reports/", with: "./reports/") }
        for index in 0..<Int(shards) {
            let pod = try await shell(local(script), in: directory, environment: ["JOB_COMPLETION_INDEX": String(index), "SHARDS": String(shards)])
            #expect(pod.status == 0, "pod \(index): unreachable servers are findings, not a failed pod: \(pod.stderr.prefix(300))")
        }
        let merged = try await shell(local(mergeScript), in: directory, environment: [:])
        #expect(merged.status == 3, "every server unreachable: the merge Job fails with SPEC §4's 3: \(merged.stderr.prefix(300))")
        #expect(merged.stdout.split(separator: "\n").count == 10, "the table lists the whole fleet: \(merged.stdout)")
        let sarif = try JSONParser().parse(Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/reports/gatehouse.sarif"))))
        #expect(sarif["runs"]?.arrayValue?.first?["results"]?.arrayValue?.count == 10)
    }

    @Test("the GitLab parallel job's script, run for each CI_NODE_INDEX, then the report job's")
    func gitlabParallel() async throws {
        let document = try #require(try await yaml(examples + "/gitlab/.gitlab-ci.yml").first)
        let audit = try #require(document["gatehouse-audit"])
        let nodes = try #require(audit["parallel"]?.numberValue?.int64Value)
        let auditScript = (audit["script"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")
        #expect(auditScript.contains("$CI_NODE_INDEX/$CI_NODE_TOTAL"))
        let report = try #require(document["gatehouse-report"])
        #expect(report["needs"] == ["gatehouse-audit"])
        #expect(report["artifacts"]?["reports"]?["junit"] == "gatehouse-junit.xml")
        let reportScript = (report["script"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "\n")

        let directory = try Repository.temporaryDirectory()
        try fleet(in: directory)
        for index in 1...Int(nodes) {
            let job = try await shell(auditScript, in: directory, environment: ["CI_NODE_INDEX": String(index), "CI_NODE_TOTAL": String(nodes)])
            #expect(job.status == 0, "node \(index): \(job.stderr.prefix(300))")
        }
        let merged = try await shell(reportScript, in: directory, environment: [:])
        #expect(merged.status == 3, "\(merged.stderr.prefix(300))")
        let junit = try String(contentsOfFile: directory + "/gatehouse-junit.xml", encoding: .utf8)
        #expect(junit.components(separatedBy: "<testcase ").count - 1 == 10, "a test case per server")
    }
}
