// swift-tools-version: 6.1
import PackageDescription

// The benchmark suite, kept apart so that it does not slow the normal build.
// It generates corpora and runs the release `quill` binary of the package above as a
// subprocess, so it needs only ZIPFoundation (to write .docx files), not QuillKit.
let package = Package(
    name: "QuillBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20")
    ],
    targets: [
        .executableTarget(
            name: "quill-bench",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        )
    ],
    swiftLanguageModes: [.v6]
)
