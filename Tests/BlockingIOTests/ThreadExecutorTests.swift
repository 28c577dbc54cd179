import BlockingIO
import Foundation
import Testing

private actor BlockingCounter {
    private let executor = ThreadExecutor(name: "test-blocking")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var count = 0
    private(set) var threads = Set<UInt>()

    func blockAndCount(milliseconds: UInt32) {
        usleep(milliseconds * 1000)
        count += 1
        threads.insert(UInt(pthread_self()))
    }
}

@Suite struct ThreadExecutorTests {
    @Test func jobsRunSeriallyOnTheirOwnThread() async {
        let counter = BlockingCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { await counter.blockAndCount(milliseconds: 1) } }
        }
        #expect(await counter.count == 20)
        // Every job ran on one thread, and not on the test's own.
        #expect(await counter.threads.count == 1)
        #expect(await counter.threads.first != UInt(pthread_self()))
    }

    @Test func blockingCallsDoNotStarveTheCooperativePool() async throws {
        // Four actors each block their own thread for 300 ms; a plain task on the pool still runs meanwhile.
        let counters = (0..<4).map { _ in BlockingCounter() }
        let started = ContinuousClock.now
        async let blocked: Void = withTaskGroup(of: Void.self) { group in
            for c in counters { group.addTask { await c.blockAndCount(milliseconds: 300) } }
        }
        try await Task.sleep(for: .milliseconds(20))
        let poolLatency = ContinuousClock.now - started
        await blocked
        #expect(poolLatency < .milliseconds(250))
    }
}
