// swift-tools-version:5.4
// The fuzzers, kept out of the main package so that `swift build` and `swift test` stay fast.
// Build and run them with `FuzzTesting/run.sh`. Tools version 5.4 on purpose: from 5.5 SwiftPM renames
// an executable's entry point so that tests can link it, and the libFuzzer `main` then goes missing.
import PackageDescription

let package = Package(
    name: "QuillFuzz",
    dependencies: [
        .package(name: "Quill", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "QuillFuzz",
            dependencies: [.product(name: "_QuillFuzzTargets", package: "Quill")]
        )
    ]
)
