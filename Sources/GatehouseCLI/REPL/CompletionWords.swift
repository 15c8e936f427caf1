import Locking

/// The words completion offers, replaced when late servers finish connecting.
final class CompletionWords: Sendable {
    private let words = Locked(ReplCompletion.Words(commands: ReplCompletion.commands, servers: [], tools: [:]))

    func set(_ new: ReplCompletion.Words) { words.withLock { $0 = new } }
    func get() -> ReplCompletion.Words { words.withLock { $0 } }
}
