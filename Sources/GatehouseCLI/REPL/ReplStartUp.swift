import Foundation
import GatehouseHost
import TerminalText

/// The REPL's start: badge lines as servers finish connecting, the prompt after at most ``promptWait``
/// seconds even when a server is still in its handshake (a clear line says which), and the badges of
/// those that finish later printed above the prompt, which is then drawn again.
final class ReplStartUp: @unchecked Sendable {
    /// How long the prompt waits for slow servers.
    static let promptWait = 5.0

    private let lock = NSLock()
    private let color: Bool
    private var promptShown = false
    private var waiting: [String]
    private var done: CheckedContinuation<Void, Never>?
    /// Draws the prompt and the line being edited again (after a late badge was printed above it).
    var redraw: (@Sendable () -> Void)?

    init(servers: [String], color: Bool) {
        waiting = servers
        self.color = color
    }

    /// One server is done: print its badge (above the prompt when the prompt is already shown).
    func finished(_ status: ServerStatus) {
        let (late, redraw) = lock.withLock { () -> (Bool, (@Sendable () -> Void)?) in
            waiting.removeAll { $0 == status.entry.name }
            if waiting.isEmpty, let done {
                self.done = nil
                done.resume()
            }
            return (promptShown, self.redraw)
        }
        let line = TrustRendering.badgeLine(status, color: color)
        if late {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line.string + "\n").utf8))
            redraw?()
        } else {
            Console.out(line)
        }
    }

    /// Waits until every server is done or ``promptWait`` has passed; then says which are still connecting.
    func waitForPrompt() async {
        let pending = lock.withLock { !waiting.isEmpty }
        if pending {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.withLock {
                    guard !waiting.isEmpty else { return continuation.resume() }
                    done = continuation
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.promptWait) { [weak self] in
                    guard let self, let waiter = self.lock.withLock({ () -> CheckedContinuation<Void, Never>? in
                        defer { self.done = nil }
                        return self.done
                    }) else { return }
                    waiter.resume()
                }
            }
        }
        let slow = lock.withLock { () -> [String] in
            promptShown = true
            return waiting
        }
        if !slow.isEmpty {
            let names = slow.map { TerminalText(field: $0, limit: 80) }.joined(separator: ", ")
            Console.out("still connecting: \(names); each badge shows here when it is done (`servers` lists every state)")
        }
    }
}
