import Foundation
import MCPClient
import StrictJSON
import TrustCore

extension HostSession {
    var clockNow: Int64 { clock() }

    /// Why a call is refused, or the tool to call.
    public enum CallTarget: Sendable {
        case callable(ServerStatus, ToolRecord)
        case unknownServer
        case unknownTool(ServerStatus)
        case notConnected(ServerStatus)
        case quarantined(ServerStatus, ToolRecord)
    }

    /// Looks up `server.tool` among the connected servers.
    public func target(server: String, tool: String) -> CallTarget {
        guard let status = servers[server] else { return .unknownServer }
        guard status.session != nil, status.connectionError == nil else { return .notConnected(status) }
        guard let record = status.tool(named: tool) else {
            guard !status.inventoried, !status.loaded else { return .unknownTool(status) }
            let unlisted = ToolRecord(
                name: tool, qualifiedName: "\(server).\(tool)", definition: .null, pin: "", pinState: .new, decision: status.decision, diff: []
            )
            return .quarantined(status, unlisted)
        }
        guard record.loaded else { return .quarantined(status, record) }
        return .callable(status, record)
    }

    /// Calls a loaded tool; a quarantined one is never called. A server whose connection was lost (its
    /// process exited, its transport closed, a call failed with a `connect.*` error) is connected again
    /// first — verified again and its pins checked again, as on any connect — so the call goes to the new
    /// connection or is refused by the new verdict. A server is reconnected at most once a second.
    /// - Throws: ``MCPClientError`` from the call (or the connection error of a server that is not
    ///   connected), or ``HostError`` when the tool may not be called.
    /// A call that meets `auth.required` (its OAuth token expired or was revoked mid-session) reconnects at
    /// once, with a refreshed token, and is sent once more: the server refused it before doing anything.
    public func call(server: String, tool: String, arguments: JSONObject, progress: (@Sendable (JSONValue) -> Void)? = nil)
        async throws -> JSONValue
    {
        let connected = servers[server].map { $0.session != nil && $0.connectionError == nil } ?? false
        do {
            return try await callOnce(server: server, tool: tool, arguments: arguments, progress: progress)
        } catch let error as MCPClientError where error.code == .authRequired && tokenSource != nil && connected {
            lastReconnection[server] = nil
            return try await callOnce(server: server, tool: tool, arguments: arguments, progress: progress)
        }
    }

    private func callOnce(server: String, tool: String, arguments: JSONObject, progress: (@Sendable (JSONValue) -> Void)?)
        async throws -> JSONValue
    {
        if connectionLost(server) { await reconnectOnce(server) }
        let session: MCPSession
        switch target(server: server, tool: tool) {
        case .callable(let status, _):
            guard let connected = status.session else { throw MCPClientError(.connectClosed, "\(server) is not connected") }
            session = connected
        case .notConnected(let status):
            throw status.connectionError ?? MCPClientError(.connectClosed, "\(server) is not connected")
        case .unknownServer:
            throw HostError(.unknownServer, message: "no server named \(server)")
        case .unknownTool:
            throw HostError(.unknownTool, message: "\(server) has no tool \(tool)")
        case .quarantined(let status, let record):
            throw Self.quarantineRefusal(status, record)
        }
        do {
            return try await session.callTool(tool, arguments: arguments, progress: progress)
        } catch let error as MCPClientError {
            if error.code.losesConnection { lostConnections.insert(server) }
            throw error
        }
    }

    /// The refusal of a call to a quarantined tool: coded with the server's deciding reason (e.g.
    /// `passport.missing`), or `host.tool_quarantined` when there is none (a tool changed since it was pinned).
    public static func quarantineRefusal(_ status: ServerStatus, _ record: ToolRecord) -> HostError {
        HostError(
            status.reasons.first.map { HostError.Code(rawValue: $0.code.rawValue) } ?? .toolQuarantined, message: "\(status.entry.name).\(record.name) is quarantined: \(record.decision.note)",
            refusal: .toolQuarantined
        )
    }

    private func connectionLost(_ server: String) -> Bool {
        guard let status = servers[server], status.started else { return false }
        if lostConnections.contains(server) || status.connectionError != nil { return true }
        return status.session?.connection.isClosed ?? false
    }

    /// Reconnects `server`, unless that was tried less than a second ago; concurrent callers share one
    /// reconnection.
    private func reconnectOnce(_ server: String) async {
        if let running = reconnections[server] { return await running.value }
        let now = ContinuousClock.now
        if let last = lastReconnection[server], now - last < .seconds(1) { return }
        lastReconnection[server] = now
        let reconnection = Task { _ = await self.reconnect([server]) }
        reconnections[server] = reconnection
        reconnectionCount += 1
        lostConnections.remove(server)
        await reconnection.value
        reconnections[server] = nil
    }
}

extension HostSession {
    /// Follows list changes of a connected server (SPEC §2.7): on `notifications/tools/list_changed` (legacy,
    /// unasked; stateless era, through `subscriptions/listen`) the host re-lists, re-verifies and re-pins, so
    /// a tool added or changed mid-session is quarantined like one seen at connect time.
    func watchListChanges(_ name: String, session: MCPSession) {
        following.remove(name)
        if session.handshake.era == .legacy { markFollowing(name) }  // legacy servers announce changes unasked
        Task { await session.listenForListChanges() }
        Task { [weak self] in
            for await notification in session.connection.notifications {
                guard let self else { return }
                switch notification.method {
                case "notifications/tools/list_changed": await self.requestRefresh(name, session: session)
                case "notifications/subscriptions/acknowledged": await self.markFollowing(name)
                default: break
                }
            }
        }
    }

    private func markFollowing(_ name: String) {
        following.insert(name)
        for waiter in followingWaiters.removeValue(forKey: name) ?? [] { waiter.resume() }
    }

    /// Returns once `server`'s list changes are followed: at once for a legacy server (it announces them
    /// unasked), after the server acknowledged `subscriptions/listen` for a 2026-07-28 one. A caller that
    /// changes a server's tools and expects the host to notice waits for this first.
    public func followingListChanges(_ server: String) async {
        guard !following.contains(server) else { return }
        await withCheckedContinuation { followingWaiters[server, default: []].append($0) }
    }

    /// Decides a verified server again once its passport's `exp` (plus the clock skew) has passed, so a
    /// long-lived session (the REPL, the proxy) withdraws its tools then (SPEC §8 continuous verification).
    func scheduleExpiry(_ status: ServerStatus) {
        let name = status.entry.name
        expiryTimers.removeValue(forKey: name)?.cancel()
        guard followListChanges, let session = status.session, status.verdict == .verified,
            let expiresAt = status.report?.expiresAt
        else { return }
        let trust = EffectiveTrust(global: profile.trust, server: status.entry.trust, trustedIssuers: profile.trustedIssuers)
        let seconds = max(0, expiresAt + trust.policy.clockSkewSeconds - clockNow + 1)
        expiryTimers[name] = Task { [weak self] in
            try? await Task.sleep(for: .seconds(Double(min(seconds, 30 * 86_400))))
            guard !Task.isCancelled, let self else { return }
            await self.requestRefresh(name, session: session)
        }
    }

    /// At most one re-list in flight per server: changes announced while one runs are folded into a single
    /// re-list after it, so a storm of notifications costs two re-lists, not thousands.
    func requestRefresh(_ name: String, session: MCPSession) {
        guard !refreshing.contains(name) else {
            refreshAgain.insert(name)
            return
        }
        refreshing.insert(name)
        Task {
            repeat {
                refreshAgain.remove(name)
                await refresh(name, session: session)
            } while refreshAgain.contains(name)
            refreshing.remove(name)
        }
    }

    /// Re-verifies and re-inventories one connected server in place.
    func refresh(_ name: String, session: MCPSession) async {
        guard let status = servers[name], status.session === session else { return }
        let trust = EffectiveTrust(global: profile.trust, server: status.entry.trust, trustedIssuers: profile.trustedIssuers)
        let updated = await verifyAndLoad(status.entry, session: session, trust: trust)
        servers[name] = updated
        scheduleExpiry(updated)
        changeCount += 1
        for listener in changeListeners { listener.yield(name) }
    }
}
