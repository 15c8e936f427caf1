import Locking

/// The hand-over between a connection's engine and its one timer task: the engine arms the timer (under the
/// connection's lock, so without waiting) and the timer, a long-lived child of the connection's ``TaskNursery``
/// work, sleeps until the armed deadline or until it is armed again, whichever comes first.
///
/// The engine arms only for a deadline earlier than the one the timer already waits for (and for none once
/// the connection has closed), so a round trip costs no task; the timer's wait starts two short children
/// only when it is armed.
final class TimerArming: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// Why ``wait(until:)`` returned.
    enum Wake: Sendable {
        /// The deadline passed (or the wait was cancelled).
        case fired
        /// The engine armed the timer for this deadline (none: disarmed).
        case armed(Instant?)
    }

    private struct State {
        /// An arming not yet taken by the timer (`.some(nil)`: disarmed).
        var pending: Instant??
        var waiter: CheckedContinuation<Wake, Never>?
    }

    private let state = Locked(State())

    /// Arms the timer for `deadline` (nil: disarms it), waking it if it waits.
    func arm(_ deadline: Instant?) {
        let waiter = state.withLock { state -> CheckedContinuation<Wake, Never>? in
            guard let waiter = state.waiter else {
                state.pending = .some(deadline)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: .armed(deadline))
    }

    /// Waits until `deadline` (forever when nil) or the next arming, whichever comes first. An arming that
    /// races with the deadline may be dropped: the tick that follows a deadline arms the timer again from
    /// the engine's own table.
    func wait(until deadline: Instant?) async -> Wake {
        if let pending = takePending() { return .armed(pending) }
        return await withTaskGroup(of: Wake.self) { group in
            if let deadline {
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return .fired
                }
            }
            group.addTask { await self.nextArming() }
            let first = await group.next() ?? .fired
            group.cancelAll()
            return first
        }
    }

    /// Whether the timer is waiting for its next arming (for tests).
    var isWaiting: Bool { state.withLock { $0.waiter != nil } }

    private func takePending() -> Instant?? {
        state.withLock { state in
            defer { state.pending = nil }
            return state.pending
        }
    }

    private func nextArming() async -> Wake {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
                let now = state.withLock { state -> Wake? in
                    if let pending = state.pending {
                        state.pending = nil
                        return .armed(pending)
                    }
                    // Cancelled before this lock section: the handler found no waiter to resume.
                    if Task.isCancelled { return .fired }
                    state.waiter = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Wake, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: .fired)
        }
    }
}
