import CProcessShim
import Ed25519
import Foundation
import GatehouseHost
import StrictJSON
import Locking
import TrustCore

/// The soak's servers and the faults it injects. Stdio servers are started by the host (their pids come
/// from the pid files they write); the HTTP servers are started here, and a killed one comes back on the
/// same port a moment later, as a restarted service would.
final class SoakFleet: Sendable {
    let python: String
    let script: String
    let state: String
    /// An environment variable every server of this fleet (and anything it starts) carries, so that what
    /// is left of them at the end can be found in `/proc` (a grandchild is not this process's child).
    let tag = "GATEHOUSE_SOAK_TAG=" + UUID().uuidString
    /// The HTTP servers' ports and their current processes, by server name.
    private struct HTTPServers {
        var ports: [String: Int] = [:]
        var processes: [String: pid_t] = [:]
    }

    private let httpServers = Locked(HTTPServers())

    init(python: String, script: String, state: String) {
        self.python = python
        self.script = script
        self.state = state
    }

    /// Writes the registry (a fresh key), one passport per server, starts the HTTP servers and returns the
    /// profile.
    func prepare(issuer: String, stdio: [String], http: [String]) -> Profile? {
        guard let keyPair = Ed25519.KeyPair.generate() else { return nil }
        let key = SigningKey(keyPair: keyPair, keyID: "soak-1")
        let jwks: JSONValue = ["keys": [["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(keyPair.publicKey)), "kid": "soak-1"]]]
        let now = Int64(Date().timeIntervalSince1970)
        write(JSONSerializer.string(jwks), to: "jwks.json")
        write(#"{"updated_at":"\#(RFC3339.string(fromSeconds: now))","revoked":[]}"#, to: "revocations.json")
        var servers = JSONObject()
        let timeouts: JSONValue = ["connect": 10, "call": 3]
        for name in stdio {
            let surface = "mcp://\(name).soak.example"
            writeBlock(name: name, surface: surface, minter: PassportMinter(key: key), issuer: issuer, now: now)
            servers[name] = [
                "command": .string(python), "args": [.string(script), "stdio", .string(name), .string(state)],
                "trust": ["surface": .string(surface)], "timeouts": timeouts,
                "env": .object([String(tag.prefix { $0 != "=" }): .string(String(tag.drop { $0 != "=" }.dropFirst()))]),
            ]
        }
        for name in http {
            guard let port = Self.freePort() else { return nil }
            httpServers.withLock { $0.ports[name] = port }
            writeBlock(name: name, surface: "mcp://127.0.0.1:\(port)/mcp", minter: PassportMinter(key: key), issuer: issuer, now: now)
            startHTTP(name)
            servers[name] = ["url": .string("http://127.0.0.1:\(port)/mcp"), "trust": ["wellKnown": false], "timeouts": timeouts]
        }
        for name in http { Self.waitForPort(httpServers.withLock { $0.ports[name] } ?? 0) }
        let document: JSONValue = [
            "registries": [["issuer": .string(issuer), "jwks": .string(state + "/jwks.json"), "revocations": .string(state + "/revocations.json")]],
            "trust": ["mode": "enforce"], "mcpServers": .object(servers),
        ]
        var profile = Profile()
        do {
            try ProfileLoader.merge(JSONSerializer.bytes(document), file: state + "/profile.json", environment: [:], into: &profile)
        } catch {
            return nil
        }
        return profile
    }

    private func writeBlock(name: String, surface: String, minter: PassportMinter, issuer: String, now: Int64) {
        var claims = PassportMinter.Claims(issuer: issuer, subject: "aii_soak_\(name)", issuedAt: now - 60, lifetimeSeconds: 3600)
        claims.tier = "business_verified"
        claims.operatorName = "Soak Ltd"
        claims.surfaces = [surface]
        let block: JSONValue = ["id": .string("aii_soak_\(name)"), "passport": .string(minter.mint(claims)), "registry": .string(issuer)]
        write(JSONSerializer.string(block), to: name + ".block.json")
    }

    private func write(_ text: String, to file: String) {
        _ = FileManager.default.createFile(atPath: state + "/" + file, contents: Data(text.utf8))
    }

    /// Kills, stalls or garbles random servers until cancelled; returns how many of each.
    func chaos(names: [String]) async -> JSONObject {
        var counts: [String: Int64] = ["kill": 0, "stall": 0, "garbage": 0]
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int.random(in: 60...250)))
            guard !Task.isCancelled, let name = names.randomElement(), let pid = pid(of: name) else { continue }
            switch Int.random(in: 0..<3) {
            case 0:
                counts["kill", default: 0] += 1
                kill(pid, SIGKILL)
                if httpServers.withLock({ $0.processes[name] }) == pid {
                    var status: Int32 = 0
                    waitpid(pid, &status, 0)
                    try? await Task.sleep(for: .milliseconds(300))
                    startHTTP(name)
                }
            case 1:
                counts["stall", default: 0] += 1
                kill(pid, SIGSTOP)
                try? await Task.sleep(for: .milliseconds(Int.random(in: 200...1000)))
                kill(pid, SIGCONT)
            default:
                counts["garbage", default: 0] += 1
                kill(pid, SIGUSR1)
            }
        }
        var object = JSONObject()
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) { object[name] = .number(JSONNumber(count)) }
        return object
    }

    /// Every server running, not stopped, and with no garbage fault still armed (one that no request
    /// spent before the chaos ended would otherwise fall on the final calls).
    func restoreAll() {
        for name in httpServers.withLock({ Array($0.ports.keys) }) {
            let pid = httpServers.withLock { $0.processes[name] }
            if let pid, kill(pid, 0) == 0 { continue }
            startHTTP(name)
            Self.waitForPort(httpServers.withLock { $0.ports[name] } ?? 0)
        }
        for file in (try? FileManager.default.contentsOfDirectory(atPath: state)) ?? [] where file.hasSuffix(".pid") {
            if let pid = pid(of: String(file.dropLast(4))) {
                kill(pid, SIGCONT)
                kill(pid, SIGUSR2)
            }
        }
    }

    /// Kills and reaps the HTTP servers.
    func stopAll() {
        let processes = httpServers.withLock { servers -> [pid_t] in
            defer { servers.processes.removeAll() }
            return Array(servers.processes.values)
        }
        for pid in processes {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    private func pid(of name: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: state + "/\(name).pid", encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func startHTTP(_ name: String) {
        guard let port = httpServers.withLock({ $0.ports[name] }) else { return }
        let arguments = [python, script, "http", name, state, String(port)]
        let devNull = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(devNull) }
        var argv = arguments.map { strdup($0) } + [nil]
        var environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [strdup(tag), nil]
        defer { for pointer in argv + environment { free(pointer) } }
        var pid: pid_t = 0
        if cprocess_spawn(&pid, python, &argv, &environment, devNull, devNull, devNull, nil, 0, 0) == 0 {
            httpServers.withLock { $0.processes[name] = pid }
        }
    }

    static func freePort() -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }

    static func waitForPort(_ port: Int) {
        for _ in 0..<200 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(descriptor)
            if connected { return }
            usleep(50_000)
        }
    }

    /// Open descriptors of this process, by kind (`pipe`, `socket`, `anon_inode`, `file`).
    static func openDescriptors() -> [String: Int] {
        var kinds: [String: Int] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry) else { continue }
            let kind = target.hasPrefix("pipe:") ? "pipe" : target.hasPrefix("socket:") ? "socket"
                : target.hasPrefix("anon_inode:") ? "anon_inode" : "file"
            kinds[kind, default: 0] += 1
        }
        return kinds
    }

    /// This process's TCP sockets as `local→remote state` (hex, as /proc/net/tcp writes them), for reports.
    static func socketDetails() -> [String] {
        var inodes: Set<String> = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                target.hasPrefix("socket:[")
            {
                inodes.insert(String(target.dropFirst(8).dropLast()))
            }
        }
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 9, inodes.contains(String(fields[9])) else { return nil }
            return "\(fields[1])→\(fields[2]) state \(fields[3])"
        }
    }

    /// The live processes that carry the fleet's tag: the servers, whatever they started, wherever they were
    /// reparented (a zombie has no environment left to read, and ``waitForChildren(seconds:)`` counts ours).
    func taggedProcesses() -> [Int32] {
        let needle = Data(tag.utf8)
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), let handle = FileHandle(forReadingAtPath: "/proc/\(entry)/environ") else { return nil }
            defer { try? handle.close() }
            return handle.readDataToEndOfFile().split(separator: 0).contains { Data($0) == needle } ? pid : nil
        }
    }

    /// Waits (up to `seconds`) until this process has no children, zombies included; returns how many remain.
    static func waitForChildren(seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let own = getpid()
            let children = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
                guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return false }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 1 && Int32(fields[1]) == own
            }
            if children.isEmpty || Date() > deadline { return children.count }
            usleep(100_000)
        }
    }
}
