// swift-tools-version: 6.1
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Quill",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "quill", targets: ["quill"]),
        .library(name: "QuillKit", targets: ["QuillKit"]),
        // The fuzzers' entry points, for the package in FuzzTesting/; underscored, as it is no
        // API to build on, and the `quill` program does not link it.
        .library(name: "_QuillFuzzTargets", targets: ["_QuillFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // The system's SQLite, for the few calls GRDB does not make for us (variadic ones among
        // them): the settings for files from outside, and reading a file into memory.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(
            name: "QuillKit",
            dependencies: [
                "CLibXML2",
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources/REFI-QDA")],
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "_QuillFuzzTargets",
            dependencies: [
                "QuillKit",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "quill",
            dependencies: [
                "QuillKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "QuillKitTests",
            dependencies: ["QuillKit", "_QuillFuzzTargets"],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "QuillCLITests",
            dependencies: ["QuillKit"],
            resources: [.copy("Fixtures")],
            swiftSettings: upcomingFeatures
        ),
    ],
    swiftLanguageModes: [.v6]
)
