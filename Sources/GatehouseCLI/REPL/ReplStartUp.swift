import Foundation
import GatehouseHost
import Locking
import TerminalText

/// The REPL's start: badge lines as servers finish connecting, the prompt after at most ``promptWait``
/// seconds even when a server is still in its handshake (a clear line says which), and the badges of
/// those that finish later printed above the prompt, which is then drawn again.
final class ReplStartUp: Sendable {
    /// How long the prompt waits for slow servers.
    static let promptWait = 5.0

    private struct State {
        var promptShown = false
        var waiting: [String]
        var done: CheckedContinuation<Void, Never>?
        var redraw: (@Sendable () -> Void)?
    }

    private let state: Locked<State>
    private let color: Bool

    /// Draws the prompt and the line being edited again (after a late badge was printed above it).
    var redraw: (@Sendable () -> Void)? {
        get { state.withLock { $0.redraw } }
        set { state.withLock { $0.redraw = newValue } }
    }

    init(servers: [String], color: Bool) {
        state = Locked(State(waiting: servers))
        self.color = color
    }

    /// One server is done: print its badge (above the prompt when the prompt is already shown).
    func finished(_ status: ServerStatus) {
        let (late, redraw) = state.withLock { state -> (Bool, (@Sendable () -> Void)?) in
            state.waiting.removeAll { $0 == status.entry.name }
            if state.waiting.isEmpty, let done = state.done {
                state.done = nil
                done.resume()
            }
            return (state.promptShown, state.redraw)
        }
        var line = TrustRendering.badgeLine(status, color: color)
        if status.asksForLogin {
            line = line + "\n  \(status.entry.name) asks for an OAuth login: type `login \(status.entry.name)` (SPEC §9)"
        }
        if late {
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + line.string + "\n").utf8))
            redraw?()
        } else {
            Console.out(line)
        }
    }

    /// Waits until every server is done or ``promptWait`` has passed; then says which are still connecting.
    func waitForPrompt() async {
        let pending = state.withLock { !$0.waiting.isEmpty }
        if pending {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.withLock { state in
                    guard !state.waiting.isEmpty else { return continuation.resume() }
                    state.done = continuation
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + Self.promptWait) { [weak self] in
                    guard let self, let waiter = self.state.withLock({ state -> CheckedContinuation<Void, Never>? in
                        defer { state.done = nil }
                        return state.done
                    }) else { return }
                    waiter.resume()
                }
            }
        }
        let slow = state.withLock { state -> [String] in
            state.promptShown = true
            return state.waiting
        }
        if !slow.isEmpty {
            let names = slow.map { TerminalText(field: $0, limit: 80) }.joined(separator: ", ")
            Console.out("still connecting: \(names); each badge shows here when it is done (`servers` lists every state)")
        }
    }
}
