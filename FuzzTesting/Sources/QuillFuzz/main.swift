// One libFuzzer binary for all of Quill's readers. The target is chosen by the environment
// variable QUILL_FUZZ_TARGET (see `Fuzzing.targets` in _QuillFuzzTargets); `run.sh` sets it. Built with
// `-sanitize=fuzzer` and `-parse-as-library`: libFuzzer supplies `main`.
import Foundation
import QuillKit
import _QuillFuzzTargets

private let targetName = ProcessInfo.processInfo.environment["QUILL_FUZZ_TARGET"] ?? ""

private let target: (@Sendable (Data) throws -> Void)? = Fuzzing.targets.first { $0.name == targetName }?.run

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt
{
    guard target != nil else {
        let names = Fuzzing.targets.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("Set QUILL_FUZZ_TARGET to one of: \(names).\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        try Fuzzing.run(target!, data)
    } catch {
        // A reader that throws anything but a QuillError, or returns something that does not
        // hold together, has a bug: stop here so that libFuzzer saves the input.
        fatalError("\(targetName): \(error)")
    }
    return 0
}
