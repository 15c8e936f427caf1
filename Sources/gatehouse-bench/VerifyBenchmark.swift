import Ed25519
import Foundation
import GatehouseHost
import StrictJSON
import TrustCore

/// `gatehouse-bench verify OUTPUT_DIR`: the full offline verification of one passport against the bare
/// libsodium verify of the same signing input, alternating in the same run. Writes token.txt and key.hex
/// for the PyJWT side and prints the per-operation times in µs as JSON.
///
/// `gatehouse` is ``PassportVerifier/outcome(_:)`` (every step, no report), `gatehouse_report` is
/// ``PassportVerifier/verify(_:)`` (every step and the report with its check details and digest).
/// `ratio_*` are per-round ratios to the libsodium round run beside them (less exposed to a noisy machine
/// than a ratio of medians).
nonisolated func verifyBenchmark(output: String) async {
    guard let bench = VerifyBench.make() else { exit(1) }
    let token = bench.token, issuer = bench.issuer, now = bench.now
    let verifier = bench.verifier, request = bench.request(token: token, identity: "aii_bench")
    let signature = bench.signature, signingInput = bench.signingInput, publicKey = bench.keyPair.publicKey
    let environment = ProcessInfo.processInfo.environment
    let parts = environment["GATEHOUSE_BENCH_PARTS"] != nil
    // GATEHOUSE_BENCH_ONLY=NAME runs that case alone (for perf record); no batch then.
    let only = environment["GATEHOUSE_BENCH_ONLY"]
    let cases: [(String, () async -> Bool)] = parts ? [
        ("parse", { if case .success = PassportToken.parse(token) { return true } else { return false } }),
        ("digest", { !SHA256.hexDigest(token).isEmpty }),
        ("issuer", { IssuerName.same(issuer, "HTTPS://registry.bench/") }),
        ("surface", { SurfaceAddress.surface("mcp://bench.example.com")?.covers(SurfaceAddress.endpoint("https://bench.example.com/mcp")!) == true }),
        ("rfc3339", { !RFC3339.string(fromSeconds: now).isEmpty }),
    ] : [
        ("libsodium", { Ed25519.isValidSignature(signature, of: signingInput, publicKey: publicKey) }),
        ("gatehouse", { await verifier.outcome(request).verdict == .verified }),
        ("gatehouse_report", { await verifier.verify(request).verdict == .verified }),
    ]
    let results = await measure(rounds: parts ? 5 : 15, iterations: 2_000, cases.filter { only == nil || $0.0 == only })
    try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    try? Data(token.utf8).write(to: URL(fileURLWithPath: output + "/token.txt"))
    try? Data(Hex.encode(bench.keyPair.publicKey).utf8).write(to: URL(fileURLWithPath: output + "/key.hex"))
    var object = JSONObject()
    for (name, values) in results.sorted(by: { $0.key < $1.key }) {
        object[name] = numbers(values.sorted())
    }
    if let floor = results["libsodium"] {
        for name in ["gatehouse", "gatehouse_report"] {
            guard let values = results[name] else { continue }
            object["ratio_" + name] = numbers(zip(values, floor).map { $0 / $1 }.sorted())
        }
    }
    print(JSONSerializer.string(.object(object)))
}

/// `gatehouse-bench batch`: 10 000 distinct passports (each its own identity, token and signature) verified
/// with ``PassportVerifier/outcome(_:)`` from 1 and from 2 tasks, and with ``PassportVerifier/verify(_:)``
/// from 2, and (the floor) their bare libsodium signature checks from 1 and 2; each figure is passports per second
/// over the whole batch, with the process's CPU time over the wall time (`cores_busy`: 2.0 is both cores
/// busy throughout) and passports per CPU-second. Prints JSON.
nonisolated func batchBenchmark(count: Int = 10_000, rounds: Int = 5) async {
    guard let bench = VerifyBench.make() else { exit(1) }
    let items = (0..<count).compactMap { index in BatchItem(bench, token: bench.mint(subject: "aii_batch_\(index)"), identity: "aii_batch_\(index)") }
    precondition(items.count == count, "a minted passport has no signature")
    var result = JSONObject()
    result["passports"] = .number(JSONNumber(Int64(count)))
    let runs: [(String, Int, BatchMode)] = [
        ("one_task", 1, .outcome), ("two_tasks", 2, .outcome), ("two_tasks_report", 2, .report), ("one_task_libsodium", 1, .libsodium),
        ("two_tasks_libsodium", 2, .libsodium),
    ]
    for (name, tasks, mode) in runs {
        _ = await verifyAll(items, tasks: tasks, bench: bench, mode: mode)
        var rates: [Double] = []
        var busy: [Double] = []
        var perCPUSecond: [Double] = []
        for _ in 0..<rounds {
            let cpuStart = cpuSeconds()
            let start = ContinuousClock.now
            let ok = await verifyAll(items, tasks: tasks, bench: bench, mode: mode)
            let wall = microseconds(ContinuousClock.now - start) / 1e6
            precondition(ok, "the batch failed to verify")
            rates.append(Double(count) / wall)
            let cpu = cpuSeconds() - cpuStart
            busy.append(cpu / wall)
            perCPUSecond.append(Double(count) / cpu)
        }
        result[name] = .object([
            "per_s": numbers(rates.sorted()), "cores_busy": numbers(busy.sorted()), "per_cpu_s": numbers(perCPUSecond.sorted()),
            "tasks": .number(JSONNumber(Int64(tasks))),
        ])
    }
    print(JSONSerializer.string(.object(result)))
}

/// What a batch run does with each passport.
enum BatchMode: Sendable {
    /// ``PassportVerifier/outcome(_:)``.
    case outcome
    /// ``PassportVerifier/verify(_:)``, with the report.
    case report
    /// Only libsodium's check of its signature: the floor.
    case libsodium
}

/// One passport of the batch: its request, and its signature and signing input for the floor.
struct BatchItem: Sendable {
    let request: VerificationRequest
    let signature: [UInt8]
    let signingInput: [UInt8]

    init?(_ bench: VerifyBench, token: String, identity: String) {
        guard let dot = token.lastIndex(of: "."), let signature = Base64URL.decode(String(token[token.index(after: dot)...])) else {
            return nil
        }
        request = bench.request(token: token, identity: identity)
        self.signature = signature
        signingInput = Array(token[..<dot].utf8)
    }
}

/// Checks every item, `tasks` tasks each taking every `tasks`-th one; true when all verified.
nonisolated func verifyAll(_ items: [BatchItem], tasks: Int, bench: VerifyBench, mode: BatchMode) async -> Bool {
    let verifier = bench.verifier, publicKey = bench.keyPair.publicKey
    return await withTaskGroup(of: Bool.self) { group in
        for first in 0..<tasks {
            group.addTask {
                var ok = true
                for index in stride(from: first, to: items.count, by: tasks) {
                    let item = items[index]
                    switch mode {
                    case .outcome: ok = await verifier.outcome(item.request).verdict == .verified && ok
                    case .report: ok = await verifier.verify(item.request).verdict == .verified && ok
                    case .libsodium: ok = Ed25519.isValidSignature(item.signature, of: item.signingInput, publicKey: publicKey) && ok
                    }
                }
                return ok
            }
        }
        return await group.reduce(true) { $0 && $1 }
    }
}

/// One registry (key, JWKS, a revocation list of 10 000 entries), its verifier and a minted passport.
struct VerifyBench: Sendable {
    let keyPair: Ed25519.KeyPair
    let issuer = "https://registry.bench"
    let now = Int64(Date().timeIntervalSince1970)
    let verifier: PassportVerifier
    let token: String
    let signature: [UInt8]
    let signingInput: [UInt8]

    static func make() -> VerifyBench? {
        guard let keyPair = Ed25519.KeyPair.generate() else { return nil }
        return VerifyBench(keyPair: keyPair)
    }

    private init?(keyPair: Ed25519.KeyPair) {
        self.keyPair = keyPair
        var revoked: [String: String] = [:]
        for index in 0..<10_000 { revoked["aii_revoked_\(index)"] = "bench" }
        let materials = StaticRegistryMaterials(
            keySets: [issuer: JWKSet(entries: [["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)), "kid": "k1"]])],
            revocationLists: [issuer: RevocationList(updatedAt: now, identities: revoked)]
        )
        verifier = PassportVerifier(policy: VerificationPolicy(trustedIssuers: [issuer]), materials: materials)
        token = PassportMinter(key: SigningKey(keyPair: keyPair, keyID: "k1")).mint(Self.claims(issuer: issuer, subject: "aii_bench", now: now))
        guard let dot = token.lastIndex(of: "."), let signature = Base64URL.decode(String(token[token.index(after: dot)...])) else { return nil }
        self.signature = signature
        signingInput = Array(token[..<dot].utf8)
    }

    static func claims(issuer: String, subject: String, now: Int64) -> PassportMinter.Claims {
        var claims = PassportMinter.Claims(issuer: issuer, subject: subject, issuedAt: now - 60, lifetimeSeconds: 86_460)
        claims.tier = "business_verified"
        claims.operatorName = "Bench Ltd"
        claims.surfaces = ["mcp://bench.example.com"]
        claims.capabilities = ["search"]
        return claims
    }

    func mint(subject: String) -> String {
        PassportMinter(key: SigningKey(keyPair: keyPair, keyID: "k1")).mint(Self.claims(issuer: issuer, subject: subject, now: now))
    }

    func request(token: String, identity: String) -> VerificationRequest {
        VerificationRequest(
            carriers: [IdentityCarrier(name: "result._meta", content: .block(id: identity, passport: token, registry: issuer))],
            binding: .endpoint("https://bench.example.com/mcp"), now: now
        )
    }
}

func numbers(_ values: [Double]) -> JSONValue {
    .array(values.compactMap { JSONNumber($0).map(JSONValue.number) })
}
