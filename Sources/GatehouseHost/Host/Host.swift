import Foundation
public import MCPClient
import StrictJSON
import TrustCore

/// The host: connects a profile's servers at once, verifies each before any of its tools is used, applies
/// the trust policy (SPEC §2.4), inventories and pins tools against the trust store (§2.7), and refuses
/// calls to quarantined tools.
public actor HostSession {
    /// The merged profile.
    public let profile: Profile
    var store: TrustStore
    let registrySource: RegistrySource
    let clock: @Sendable () -> Int64
    let eraCache = EraCache()
    /// Where every connection's work runs (MCPClient starts no task of its own); closed by ``close()``.
    let nursery = TaskNursery()
    /// The one task that runs ``nursery``, started with the host and awaited by ``close()``.
    private let nurseryRun: Task<Void, Never>
    /// Where OAuth access tokens come from (SPEC §9), when the front end gave one.
    var tokenSource: (any BearerTokenSource)?
    /// Asks the person a server's question (after ``answerInput(from:_:)`` let it through).
    let questionHandler: @Sendable (ServerInput) async -> InputAnswer
    /// Caps on each server's tool listing.
    public let toolLimits = ToolLimits()
    /// Whether list changes are followed (long-lived sessions: the REPL; not one-shot commands).
    public var followListChanges = true

    /// Turns list-change following on or off (before connecting).
    public func setFollowListChanges(_ value: Bool) {
        followListChanges = value
    }
    /// Whether the tools of a server that is not loaded are listed anyway, for the inventory (audit, `tools
    /// --all`, the REPL). The proxy turns it off: SPEC §8 sends nothing upstream after the handshake of a
    /// server that is not loaded (no listing, no subscription).
    public private(set) var inventoriesQuarantined = true

    /// Turns listing the tools of servers that are not loaded on or off (before connecting).
    public func setInventoriesQuarantined(_ value: Bool) {
        inventoriesQuarantined = value
    }
    /// Whether each session is closed as soon as its server is assessed and inventoried (a fleet audit:
    /// at most `parallel` servers are alive at once, whatever the fleet's size). Calls then fail.
    public private(set) var closesAfterAssessment = false

    /// Turns closing after assessment on or off (before connecting).
    public func setClosesAfterAssessment(_ value: Bool) {
        closesAfterAssessment = value
    }
    /// The servers connected so far, by name.
    public internal(set) var servers: [String: ServerStatus] = [:]
    /// Servers whose quarantine the user lifted for this session (`allow SERVER`).
    public private(set) var allowed: Set<String> = []
    /// Servers whose connection a call found lost; the next call reconnects first.
    var lostConnections: Set<String> = []
    /// Reconnections in progress, shared by the calls that wait for them.
    var reconnections: [String: Task<Void, Never>] = [:]
    /// When each server was last reconnected by a call.
    var lastReconnection: [String: ContinuousClock.Instant] = [:]
    /// How many times a call found its server's connection lost and connected it again.
    public internal(set) var reconnectionCount = 0
    /// How many list-change refreshes have happened (for tests and the REPL).
    public internal(set) var changeCount = 0
    /// Servers being re-listed after a list change, and those whose list changed again meanwhile.
    var refreshing: Set<String> = []
    var refreshAgain: Set<String> = []
    /// Servers whose list changes are followed (legacy: at once; 2026-07-28: once the server acknowledged
    /// `subscriptions/listen`), and those waiting for that.
    var following: Set<String> = []
    var followingWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Those waiting for ``changes()``.
    var changeListeners: [AsyncStream<String>.Continuation] = []
    /// One per verified server: decides it again when its passport expires.
    var expiryTimers: [String: Task<Void, Never>] = [:]
    /// Told of every server's status as each connection (or reconnection) is assessed (`--verbose`).
    let connectionObserver: (@Sendable (ServerStatus) -> Void)?

    /// Lifts a server's quarantine for this session only; returns its status so the caller can say what
    /// is being overridden.
    public func allow(_ name: String) -> ServerStatus? {
        guard let status = servers[name] else { return nil }
        allowed.insert(name)
        servers[name] = status.overridden()
        return status
    }

    /// Closes and connects `names` again (re-verifying and re-checking pins).
    public func reconnect(_ names: [String]? = nil) async -> [ServerStatus] {
        await Self.closeInParallel(servers.filter { names?.contains($0.key) ?? true }.compactMap(\.value.session))
        return await connect(names)
    }

    /// Creates a host; nothing connects yet. `connectionObserver` is told of every status as each connection
    /// (or reconnection) is assessed, before `connect`'s `onEach`.
    public init(
        profile: Profile, store: TrustStore, registry: RegistrySource,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        questionHandler: @escaping @Sendable (ServerInput) async -> InputAnswer = HostSession.declineQuestions,
        tokenSource: (any BearerTokenSource)? = nil,
        connectionObserver: (@Sendable (ServerStatus) -> Void)? = nil
    ) {
        self.tokenSource = tokenSource
        self.connectionObserver = connectionObserver
        self.profile = profile
        self.store = store
        self.registrySource = registry
        self.clock = clock
        self.questionHandler = questionHandler
        nurseryRun = Task { [nursery] in await nursery.run() }
    }

    /// Connects and verifies `names` (all servers when nil) concurrently, at most `parallel` at a time,
    /// records first sightings in the trust store, and returns the statuses in profile order. Each status
    /// is recorded (and handed to `onEach`) as soon as that server is done, so a slow one holds up no other.
    public func connect(
        _ names: [String]? = nil, parallel: Int = 64, onEach: (@Sendable (ServerStatus) -> Void)? = nil
    ) async -> [ServerStatus] {
        let entries = profile.servers.filter { names?.contains($0.name) ?? true }
        await withTaskGroup(of: ServerStatus?.self) { group in
            var next = 0
            func launch() {
                guard next < entries.count else { return }
                let entry = entries[next]
                next += 1
                group.addTask { await self.connectOne(entry) }
            }
            for _ in 0..<min(parallel, entries.count) { launch() }
            for await finished in group {
                guard let status = finished else { continue }  // a session closed after its assessment
                servers[status.entry.name] = status
                if closesAfterAssessment, let session = status.session {
                    group.addTask {
                        await session.close()
                        return nil
                    }
                }
                if let session = status.session, followListChanges, status.loaded || inventoriesQuarantined {
                    watchListChanges(status.entry.name, session: session)
                }
                scheduleExpiry(status)
                connectionObserver?(status)
                onEach?(status)
                launch()
            }
        }
        return entries.compactMap { servers[$0.name] }
    }

    /// The trust store as it stands (including what this host recorded).
    public var trustStore: TrustStore { store }

    /// Writes the trust store.
    public func saveTrustStore() throws(TrustStoreError) {
        try store.save()
    }

    /// Closes every connection, all at once (stdio servers get their shutdown grace in parallel, SPEC §7),
    /// and returns once the connections' work has ended; a host connects nothing after it.
    public func close() async {
        for timer in expiryTimers.values { timer.cancel() }
        expiryTimers.removeAll()
        await Self.closeInParallel(servers.values.compactMap(\.session))
        nursery.close()
        await nurseryRun.value
    }

    static func closeInParallel(_ sessions: [MCPSession]) async {
        await withTaskGroup(of: Void.self) { group in
            for session in sessions { group.addTask { await session.close() } }
        }
    }

    private func connectOne(_ entry: ServerEntry) async -> ServerStatus {
        let trust = EffectiveTrust(global: profile.trust, server: entry.trust, trustedIssuers: profile.trustedIssuers)
        do {
            let session = try await connectSession(entry)
            return await verifyAndLoad(entry, session: session, trust: trust)
        } catch {
            let failure = error as? MCPClientError ?? MCPClientError(.connectClosed, "\(error)")
            guard failure.code.isAuthorizationFailure else { return .connectionFailed(entry, failure) }
            guard entry.auth.enabled else {
                // `"auth": false`: the server's 401/403 is just an HTTP status (SPEC §9).
                let status = MCPClientError(.httpStatus, "HTTP \(failure.httpStatus ?? 0) (OAuth is off for this server)", httpStatus: failure.httpStatus)
                return .connectionFailed(entry, status)
            }
            return await authorizationFailed(entry, failure, trust: trust)
        }
    }
}
