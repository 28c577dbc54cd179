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

private actor BlockingWaiter {
    private let executor = ThreadExecutor(name: "test-waiter")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// Blocks this actor's thread until the gate opens; false if it stayed shut for 20 s.
    func wait(on gate: DispatchSemaphore) -> Bool { gate.wait(timeout: .now() + 20) == .success }
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

    @Test func blockingCallsDoNotStarveTheCooperativePool() async {
        // More actors than the pool has threads each block until a plain task releases them. Were
        // their jobs run on the cooperative pool, the releasing task could not run: each wait
        // would time out instead of being released.
        let gate = DispatchSemaphore(value: 0)
        let waiters = (0..<(ProcessInfo.processInfo.activeProcessorCount * 2 + 2)).map { _ in BlockingWaiter() }
        let released = await withTaskGroup(of: Bool.self) { group in
            for waiter in waiters { group.addTask { await waiter.wait(on: gate) } }
            group.addTask {
                for _ in waiters { gate.signal() }
                return true
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(released.allSatisfy { $0 })
    }
}
