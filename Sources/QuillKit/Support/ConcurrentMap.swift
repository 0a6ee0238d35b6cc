import Foundation

extension Array where Element: Sendable {
    /// The elements transformed on all cores, in the array's order.
    ///
    /// When transforms throw, the error of the earliest element is thrown, so that the same input
    /// gives the same error however the work was shared out.
    package func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) throws -> T) throws -> [T] {
        guard count > 1 else { return try map(transform) }
        let results = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.set(index, Result { try transform(self[index]) })
        }
        return try results.values()
    }
}

/// One slot per element for `concurrentMap`, each written by exactly one iteration.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [Result<T, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.withLock { slots[index] = result }
    }

    func values() throws -> [T] {
        try lock.withLock { slots }.map { try $0!.get() }
    }
}
