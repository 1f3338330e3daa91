import ArgumentParser

/// `apex bench`: the project's benchmarks, measured in-process on this machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast apex is on this machine (p50/p95/p99).",
        discussion: """
            Benchmarks run in-process, after one warm-up run, so start-up time is not \
            counted. Build in release mode for meaningful figures:
              swift build -c release && .build/release/apex bench validate workflows/
            """,
        subcommands: [BenchValidateCommand.self, BenchEngineCommand.self, BenchPeersCommand.self, BenchLLMCommand.self, BenchAPICommand.self]
    )
}
