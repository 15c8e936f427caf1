import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

/// Builds a host for a command.
enum HostFactory {
    /// A host reading `common`'s trust store; with `tokens`, HTTP servers that require OAuth get the stored
    /// (refreshed) token of `$XDG_STATE_HOME/gatehouse/tokens.json` (SPEC §9), never a new login.
    static func make(
        _ profile: Profile, common: CommonOptions, tokens: Bool = true,
        questionHandler: @escaping @Sendable (ServerInput) async -> InputAnswer = HostSession.declineQuestions
    ) throws -> HostSession {
        make(profile, store: try loadStore(common), tokens: tokens, verbose: common.verbose, questionHandler: questionHandler)
    }

    /// The trust store of `--trust-store` (or the default); a corrupt one is a usage error, left untouched.
    static func loadStore(_ common: CommonOptions) throws -> TrustStore {
        do {
            return try TrustStore.load(common.trustStore ?? TrustStore.defaultPath())
        } catch {
            throw CLIError(code: .trustStoreInvalid, message: error.message, exitCode: ExitStatus.usage)
        }
    }

    static func make(
        _ profile: Profile, store: TrustStore, tokens: Bool = true, verbose: Bool = false,
        questionHandler: @escaping @Sendable (ServerInput) async -> InputAnswer = HostSession.declineQuestions
    ) -> HostSession {
        let registry = RegistrySource(
            registries: profile.registries, cacheDirectory: StateDirectory.path + "/registry-cache",
            settings: RegistrySource.Settings(maxStaleSeconds: profile.trust.maxStaleSeconds)
        )
        return HostSession(
            profile: profile, store: store, registry: registry, questionHandler: questionHandler,
            tokenSource: tokens ? OAuthTokenSource(store: OAuthTransport.store) : nil,
            connectionObserver: verbose ? VerboseConnections.report : nil
        )
    }

    /// Saves what the host recorded; a failure is a warning (the command's result stands).
    static func save(_ host: HostSession) async {
        do {
            try await host.saveTrustStore()
        } catch {
            Console.error("warning[\(CLIError.Code.trustStoreWrite)]: \(error)")
        }
    }
}
