@testable import MCPClient
import Testing

/// The connection timer's hand-over, alone: an arming wakes a timer asleep for a later deadline.
@Suite(.timeLimit(.minutes(1)))
struct TimerArmingTests {
    @Test("a timer asleep for a deadline 60 s away is woken by an earlier arming, with that deadline")
    func earlierArmingWakes() async throws {
        let arming = TimerArming()
        let far = ContinuousClock.now + .seconds(60)
        async let woken = arming.wait(until: far)
        while !arming.isWaiting { await Task.yield() }
        let near = ContinuousClock.now + .milliseconds(100)
        let armed = ContinuousClock.now
        arming.arm(near)
        guard case .armed(let deadline) = await woken else {
            Issue.record("the wait fired instead of taking the arming")
            return
        }
        #expect(deadline == near)
        #expect(ContinuousClock.now - armed < .seconds(20), "woken by the arming, not at the 60 s deadline")
    }

    @Test("an arming made while nobody waits is taken by the next wait at once; a passed deadline fires")
    func pendingAndFiring() async throws {
        let arming = TimerArming()
        arming.arm(nil)
        guard case .armed(nil) = await arming.wait(until: ContinuousClock.now + .seconds(60)) else {
            Issue.record("the pending disarming was not taken")
            return
        }
        guard case .fired = await arming.wait(until: ContinuousClock.now + .milliseconds(10)) else {
            Issue.record("a deadline 10 ms away did not fire")
            return
        }
    }

    @Test("a cancelled wait ends (fired), with or without a deadline")
    func cancelledWaitEnds() async throws {
        let arming = TimerArming()
        let waiting = Task { await arming.wait(until: nil) }
        while !arming.isWaiting { await Task.yield() }
        waiting.cancel()
        guard case .fired = await waiting.value else {
            Issue.record("a cancelled wait did not end as fired")
            return
        }
    }
}
