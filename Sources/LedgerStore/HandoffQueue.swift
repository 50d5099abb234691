import Foundation

/// A bounded queue between one producer thread and one consumer thread, carrying chunks of
/// work, with failure and cancellation in both directions.
///
/// The producer blocks while `capacity` chunks wait, so memory stays bounded whatever the
/// input's size. All state is guarded by `condition`, hence `@unchecked Sendable`.
final class HandoffQueue<Element: Sendable>: @unchecked Sendable {
    /// Thrown to the producer when the consumer gave up.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private let capacity: Int
    private var chunks: [[Element]] = []
    private var producerEnded = false
    private var producerFailure: (any Error)?
    private var consumerCancelled = false

    init(capacity: Int) {
        precondition(capacity > 0, "a queue needs room for one chunk")
        self.capacity = capacity
    }

    /// Producer: hands over a chunk, waiting while the queue is full.
    /// - Throws: `Cancelled` once the consumer has cancelled.
    func send(_ chunk: [Element]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !consumerCancelled { condition.wait() }
        guard !consumerCancelled else { throw Cancelled() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// Producer: no more chunks; `failure` (if any) is rethrown to the consumer.
    func endProduction(failure: (any Error)?) {
        condition.lock()
        producerEnded = true
        producerFailure = failure
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next chunk, or nil once the producer ended without failure.
    /// - Throws: the producer's failure, after every chunk sent before it was received.
    func receive() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !producerEnded { condition.wait() }
        if let failure = producerFailure { throw failure }
        guard !chunks.isEmpty else { return nil }
        condition.broadcast()
        return chunks.removeFirst()
    }

    /// Consumer: stops the producer (its next `send` throws) and waits until it has ended.
    func cancelAndWaitForProducer() {
        condition.lock()
        consumerCancelled = true
        chunks.removeAll()
        condition.broadcast()
        while !producerEnded { condition.wait() }
        condition.unlock()
    }

    /// Consumer: waits until the producer has ended (after `receive` returned nil).
    func waitForProducer() {
        condition.lock()
        while !producerEnded { condition.wait() }
        condition.unlock()
    }
}
