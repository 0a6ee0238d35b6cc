import Foundation
import Testing

/// What the built `quill` program holds.
@Suite struct CLIBinaryTests {
    /// The fuzzers' entry points live in `_QuillFuzzTargets`, which `quill` does not link.
    @Test func theProgramCarriesNoFuzzEntryPoints() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["nm", "--defined-only", QuillRunner.executable.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let symbols = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "nm could not read \(QuillRunner.executable.path)")
        // The program's own symbols are there, so the listing is a real one.
        #expect(symbols.contains("QuillKit"))
        let fuzz = symbols.split(separator: "\n").filter { $0.contains("Fuzzing") || $0.contains("QuillFuzz") }
        #expect(fuzz.isEmpty, "\(fuzz.count) fuzz symbols, such as \(fuzz.prefix(3))")
    }
}
