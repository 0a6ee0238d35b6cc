import Foundation

/// Work started on another thread, whose result is waited for later, so that two independent
/// pieces of work (such as checking a file and zipping it) use two cores.
final class BackgroundTask<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the worker before `done` is signalled, read only after waiting for it.
    private var result: Result<Value, any Error>?

    /// Starts `body` at once on a global queue.
    init(_ body: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async {
            self.result = Result(catching: body)
            self.done.signal()
        }
    }

    /// The value of the work, or its error, once it has finished; called once.
    func wait() throws -> Value {
        done.wait()
        return try result!.get()
    }
}
