import Locking
import OAuth

/// The first of the listener's callback and a pasted redirect; later ones are dropped.
final class FirstCallback: Sendable {
    private let continuation = Locked<CheckedContinuation<Result<CallbackParameters, OAuthError>, Never>?>(nil)

    func install(_ waiting: CheckedContinuation<Result<CallbackParameters, OAuthError>, Never>) {
        continuation.withLock { $0 = waiting }
    }

    /// Resumes the waiter with `result` if nothing did yet; true when this was the first.
    @discardableResult
    func resume(_ result: Result<CallbackParameters, OAuthError>) -> Bool {
        guard let waiting = continuation.withLock({ value -> CheckedContinuation<Result<CallbackParameters, OAuthError>, Never>? in
            defer { value = nil }
            return value
        }) else { return false }
        waiting.resume(returning: result)
        return true
    }
}
