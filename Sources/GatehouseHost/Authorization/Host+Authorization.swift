import MCPClient
import TrustCore

extension HostSession {
    /// Connects `entry`, with the OAuth access token its server needs when the front end gave the host a
    /// ``BearerTokenSource`` (SPEC §9 step 6): the stored token, refreshed when due; after a `401` to it, one
    /// refreshed token and one more attempt. Without a token the server's `401` stays `auth.required`.
    func connectSession(_ entry: ServerEntry) async throws -> MCPSession {
        let name = entry.name
        let token = try await bearerToken(for: entry)
        func open(_ token: String?) async throws -> MCPSession {
            let transport = token.map { entry.transport.bearing($0) } ?? entry.transport
            let configuration = ServerConfiguration(transport: transport, timeouts: entry.timeouts)
            return try await MCPSession.connect(configuration, in: nursery, eraCache: eraCache) { [weak self] request in
                guard let self else { return .error(RPCErrorObject(code: -32001, message: "gatehouse: \(name): closing", data: nil)) }
                return await self.answerInput(from: name, request)
            }
        }
        do {
            return try await open(token)
        } catch let error as MCPClientError where error.code == .authRequired {
            guard let token, let url = entry.url, let source = tokenSource,
                let fresh = try await source.accessTokenAfterRejection(forServer: url, rejected: token), fresh != token
            else { throw error }
            return try await open(fresh)
        }
    }

    /// The token to send to `entry`'s server, when OAuth is on for it and the profile sets no
    /// `Authorization` header of its own.
    private func bearerToken(for entry: ServerEntry) async throws(MCPClientError) -> String? {
        guard entry.auth.enabled, let url = entry.url, let source = tokenSource, !entry.transport.hasAuthorizationHeader
        else { return nil }
        return try await source.accessToken(forServer: url)
    }

    /// SPEC §9 step 7, identity first: the identity evidence a server shows without credentials — the
    /// passport headers of its `401` and its well-known document — verified as a handshake's would be.
    /// `nil` when the trust mode is `off`.
    func assessBeforeLogin(_ entry: ServerEntry, failure: MCPClientError, trust: EffectiveTrust) async -> VerificationReport? {
        guard trust.mode != .off else { return nil }
        let carriers = IdentityExtraction.headerCarriers(failure.httpHeaders)
        return await verify(entry, carriers: carriers, trust: trust, firstSeen: currentRecord(entry)?.identity)
    }

    /// The status of a server that asked for a login: its evidence rejected under `enforce` is reported as
    /// the verdict (and no login may start, ``ServerStatus/rejectedBeforeLogin``); otherwise the `auth.*` failure itself. A
    /// failure the server did not answer (an unreadable token store, a refresh that failed) has no evidence to
    /// verify and is reported as it is.
    func authorizationFailed(_ entry: ServerEntry, _ failure: MCPClientError, trust: EffectiveTrust) async -> ServerStatus {
        guard trust.mode == .enforce, failure.httpStatus != nil, let report = await assessBeforeLogin(entry, failure: failure, trust: trust),
            report.verdict == .rejected
        else { return .connectionFailed(entry, failure) }
        let assessment = ServerAssessment.assessed(report)
        return ServerStatus(
            entry: entry, session: nil, connectionError: failure, assessment: assessment,
            decision: LoadDecision.decide(assessment, trust: trust), tools: [], removedTools: [], skippedLines: 0
        )
    }

    /// Gives the host the source of OAuth access tokens (before connecting).
    public func setTokenSource(_ source: (any BearerTokenSource)?) {
        tokenSource = source
    }
}
