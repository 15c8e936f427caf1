import Foundation
import GatehouseHost
import Locking

/// The progress line of a fleet audit on a terminal's stderr: servers done of the total, how many were
/// kept out and how many could not be reached, redrawn in place as each finishes. Quiet when stderr is not
/// a terminal (CI logs, pipes). It prints only numbers, never anything a server sent.
final class AuditProgress: Sendable {
    private struct Counts {
        var done = 0
        var keptOut = 0
        var unreachable = 0
    }

    private let total: Int
    private let enabled: Bool
    private let counts = Locked(Counts())

    init(total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.enabled = enabled && total > 0
    }

    /// Counts `status` and redraws the line.
    func finished(_ status: ServerStatus) {
        guard enabled else { return }
        let line = counts.withLock { counts -> String in
            counts.done += 1
            if status.connectionError != nil {
                counts.unreachable += 1
            } else if !status.loaded {
                counts.keptOut += 1
            }
            return text(counts)
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Ends the line, so the report starts on a clean one and the totals stay in view.
    func end() {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + counts.withLock { text($0) } + "\n").utf8))
    }

    private func text(_ counts: Counts) -> String {
        "audit: \(counts.done)/\(total) servers, \(counts.keptOut) kept out, \(counts.unreachable) unreachable"
    }
}
