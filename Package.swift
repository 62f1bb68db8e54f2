// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "CreditDesk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "creditdesk", targets: ["creditdesk"]),
        .library(name: "CreditKit", targets: ["CreditKit"]),
        .library(name: "LedgerCore", targets: ["LedgerCore"]),
        .library(name: "LedgerStore", targets: ["LedgerStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // Pure credit rules: no I/O, no clock, no Foundation.
        .target(name: "CreditKit"),
        // The ledger seam: the `Ledger` protocol and its values, the journal record codec and
        // hash chain every backend writes, and the in-memory ledger. Pure: no I/O.
        .target(
            name: "LedgerCore",
            dependencies: [
                "CreditKit",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The file-backed, hash-chained journal and everything that touches the ledger directory.
        .target(
            name: "LedgerStore",
            dependencies: [
                "CreditKit",
                "LedgerCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The shared ledger on PostgreSQL: the same journal and hash chain, decided under a row lock.
        .target(
            name: "PostgresLedger",
            dependencies: [
                "CreditKit",
                "LedgerCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The C face of ncursesw: a module map and a shim of inline wrappers for its macros.
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // The console's pure half: Grid, widgets, screens, themes, key map, state and reducer.
        .target(name: "ConsoleUI", dependencies: ["CreditKit", "LedgerCore"]),
        // The only code that talks to curses: draws a Grid, reads keys, mouse and resize.
        .target(name: "ConsoleTerminal", dependencies: ["ConsoleUI", "CNcursesw"]),
        // The command line: argument parsing, clock, environment, paths. Thin.
        .executableTarget(
            name: "creditdesk",
            dependencies: [
                "CreditKit",
                "LedgerCore",
                "LedgerStore",
                "PostgresLedger",
                "ConsoleUI",
                "ConsoleTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("../../Data"), .copy("../../Themes")],
            // Process start (docs/ARCHITECTURE.md), release builds on Linux: the Swift driver exports
            // every symbol of a statically linked executable to the dynamic table, which nothing
            // here looks up; a position-dependent executable (`-no-pie`) has its addresses fixed
            // at link time, so the loader applies none of its relative relocations (it had
            // 117,642, as a packed DT_RELR table; the executable's own code and data are then not
            // placed at random: a decision docs/ARCHITECTURE.md weighs). Both need lld, the toolchain's.
            linkerSettings: [
                .unsafeFlags(["-use-ld=lld", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
                              "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                             .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        .testTarget(name: "CreditKitTests", dependencies: ["CreditKit"]),
        // The PostgreSQL ledger against a real server (CREDITDESK_TEST_POSTGRES_URL).
        .testTarget(name: "PostgresLedgerTests", dependencies: ["PostgresLedger", "LedgerCore", "CreditKit"]),
        .testTarget(name: "LedgerStoreTests", dependencies: ["LedgerStore", "LedgerCore", "CreditKit"]),
        // The Ledger protocol's scenarios, run against every backend (LedgerBackendUnderTest.all).
        .testTarget(name: "LedgerContractTests", dependencies: ["LedgerCore", "LedgerStore", "PostgresLedger", "CreditKit"]),
        // End-to-end tests of the real binary; Faults/ holds the crash, load, fuzz and
        // environment-fault tests (bounded, seeded, run in CI).
        .testTarget(name: "CreditDeskCLITests", dependencies: ["creditdesk", "LedgerStore", "LedgerCore", "PostgresLedger", "CreditKit", "GoldenSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "LedgerCore", "CreditKit", "GoldenSupport"], exclude: ["Snapshots"]),
        // Golden files for the tests: byte-for-byte comparison, a readable diff, recording on purpose only.
        .target(name: "GoldenSupport", path: "Tests/GoldenSupport"),
        .testTarget(name: "ConsoleTerminalTests", dependencies: ["ConsoleTerminal", "ConsoleUI", "creditdesk", "CreditKit", "LedgerCore"]),
    ]
)
