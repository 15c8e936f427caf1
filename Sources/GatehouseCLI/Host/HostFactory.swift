import ArgumentParser
import Foundation
import GatehouseHost
import MCPClient
import StrictJSON
import TerminalText

/// Builds a host for a command.
enum HostFactory {
    static func make(
        _ profile: Profile, common: CommonOptions,
        questionHandler: @escaping @Sendable (ServerInput) async -> InputAnswer = HostSession.declineQuestions
    ) throws -> HostSession {
        make(profile, store: try loadStore(common), questionHandler: questionHandler)
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
        _ profile: Profile, store: TrustStore,
        questionHandler: @escaping @Sendable (ServerInput) async -> InputAnswer = HostSession.declineQuestions
    ) -> HostSession {
        let registry = RegistrySource(
            registries: profile.registries, cacheDirectory: StateDirectory.path + "/registry-cache",
            settings: RegistrySource.Settings(maxStaleSeconds: profile.trust.maxStaleSeconds)
        )
        return HostSession(profile: profile, store: store, registry: registry, questionHandler: questionHandler)
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
