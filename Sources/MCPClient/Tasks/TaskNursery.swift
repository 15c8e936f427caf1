/// The one place the client's background work runs: every task a connection needs for as long as it is
/// open (its reader, its writer, its timer, a `subscriptions/listen` request) is a child of one task group,
/// owned by whoever runs the nursery (``run()`` or ``withNursery(_:)``), never a free-standing `Task`.
///
/// Work can be started from anywhere — an actor, a synchronous callback, a reader thread — with
/// ``start(_:)``: it is handed to the group's loop, which adds it as a child. So no background task outlives
/// its owner: ``close()`` stops taking work, cancels the children still running and ``run()`` returns only
/// when every one of them has ended. (This is the "nursery" of structured concurrency: a task group that
/// code other than its body may add to.)
public final class TaskNursery: Sendable {
    /// One piece of background work.
    public typealias Work = @Sendable () async -> Void

    private let queue: AsyncStream<Work>.Continuation
    private let items: AsyncStream<Work>

    /// A nursery that runs nothing until ``run()`` is called.
    public init() {
        (items, queue) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .unbounded)
    }

    /// Starts `work` as a child of ``run()``; false, and nothing started, once the nursery is closed.
    @discardableResult
    public func start(_ work: @escaping Work) -> Bool {
        guard case .enqueued = queue.yield(work) else { return false }
        return true
    }

    /// Runs every piece of work started as a child task, until ``close()`` (or until the calling task is
    /// cancelled); then cancels the children still running and returns when they have all ended. Call it once.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await work in items {
                group.addTask(operation: work)
            }
            group.cancelAll()
        }
    }

    /// Stops taking work: ``run()`` cancels the children still running and returns once they have ended.
    public func close() {
        queue.finish()
    }

    /// Runs `body` with a nursery whose children have all ended (cancelled if need be) before this returns.
    public static func withNursery<Result>(_ body: (TaskNursery) async throws -> Result) async rethrows -> Result {
        let nursery = TaskNursery()
        async let running: Void = nursery.run()
        do {
            let result = try await body(nursery)
            nursery.close()
            await running
            return result
        } catch {
            nursery.close()
            await running
            throw error
        }
    }
}
