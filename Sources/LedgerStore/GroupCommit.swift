import Foundation
import GRDB
import Synchronization

/// Writes made by many callers at once (claims created and submitted from phones) share one
/// transaction, and so one `fsync`: group commit.
///
/// The first caller to find no commit under way leads: it takes the writes waiting, runs
/// each in a savepoint of its own, in arrival order, commits once, and wakes their callers
/// with their results. A write that throws is rolled back to its savepoint alone; the others
/// commit. Nothing is answered before the commit, and the file stays `synchronous=FULL`:
/// only the `fsync` is shared. Each write sees the ones before it, as if they had been
/// separate transactions one after the other. A leader runs a few batches at most, then
/// hands the lead to the next caller waiting, so that no caller waits on others for long.
final class GroupCommit: Sendable {
    /// One caller's write and what became of it. Its fields are written by the leader
    /// before `done` is signalled and read by the caller after it waits: the semaphore
    /// orders them (hence `@unchecked`).
    private final class Job: @unchecked Sendable {
        let work: (Database) throws -> Void
        let done = DispatchSemaphore(value: 0)
        var error: (any Error)?
        /// Woken to lead, not because its write is done.
        var promoted = false

        init(_ work: @escaping (Database) throws -> Void) { self.work = work }
    }

    private struct State {
        var queue: [Job] = []
        var leading = false
    }

    private let state = Mutex(State())
    private static let batchMax = 64
    private static let batchesPerLeader = 4

    /// Runs `work` in the next group's transaction and returns its result once committed.
    /// - Throws: what `work` threw (its savepoint rolled back), or the commit's error.
    func write<Value>(_ pool: DatabasePool, _ work: @escaping (Database) throws -> Value) throws -> Value {
        let result = ResultBox<Value>()
        let job = Job { db in result.value = try work(db) }
        let leads = state.withLock { state in
            state.queue.append(job)
            if state.leading { return false }
            state.leading = true
            return true
        }
        if leads { lead(pool) }
        job.done.wait()
        while job.promoted {
            job.promoted = false
            lead(pool)
            job.done.wait()
        }
        if let error = job.error { throw error }
        guard let value = result.value else { throw StoreError.corrupt("a grouped write finished without a result") }
        return value
    }

    private func lead(_ pool: DatabasePool) {
        for _ in 0..<Self.batchesPerLeader {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.queue.prefix(Self.batchMax))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.leading = false }
                return batch
            }
            if batch.isEmpty { return }
            commit(batch, pool)
        }
        // Others are still waiting: the first of them leads next (the lead never lapses
        // while the queue holds writes).
        let next = state.withLock { state -> Job? in
            guard let first = state.queue.first else {
                state.leading = false
                return nil
            }
            return first
        }
        if let next {
            next.promoted = true
            next.done.signal()
        }
    }

    private func commit(_ batch: [Job], _ pool: DatabasePool) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction {
                    for job in batch {
                        do {
                            try db.inSavepoint {
                                try job.work(db)
                                return .commit
                            }
                        } catch {
                            job.error = error
                        }
                    }
                    return .commit
                }
            }
        } catch {
            for job in batch where job.error == nil { job.error = error }
        }
        for job in batch { job.done.signal() }
    }
}

/// Where a grouped write leaves its result for its caller (ordered by the job's semaphore).
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
