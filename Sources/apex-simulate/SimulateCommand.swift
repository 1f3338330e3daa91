import ApexTesting
import ArgumentParser
import Foundation
import Logging

/// `apex-simulate`: runs the engine's deterministic simulation (docs/simulation.md).
@main
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apex-simulate",
        abstract: "Run seeded crash, signal and failure scenarios on the real engine and check its invariants.",
        discussion: """
            Each seed picks a workflow of the simulation library and a sequence of actions and \
            faults; the same seed always plays the same scenario. A failing seed prints its \
            violations and its trace; run it again alone with --seed.

            Examples:
              swift run -c release apex-simulate --scenarios 200000
              swift run apex-simulate --seed 1234
            """
    )

    @Option(help: "Run only this seed, printing its trace.")
    var seed: UInt64?

    @Option(help: "How many seeds to run, from --first.")
    var scenarios = 5_000

    @Option(help: "The first seed.")
    var first: UInt64 = 1

    @Option(help: "How many scenarios run at once.")
    var parallel = 2

    func run() async throws {
        // Crashed processes fail their store calls by design: only errors are worth a line.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        if let seed {
            let outcome = await Simulator.run(seed: seed)
            print(outcome)
            if !outcome.violations.isEmpty { throw ExitCode(1) }
            return
        }
        let started = Date()
        let report = await Simulator.run(seeds: first..<(first + UInt64(scenarios)), parallel: parallel) { done in
            if done % 1000 == 0 { FileHandle.standardError.write(Data("\(done) scenarios…\n".utf8)) }
        }
        for failure in report.failures.prefix(20) { print(failure) }
        let seconds = Date().timeIntervalSince(started)
        print("\(report.count) scenarios (\(report.summary)) in \(String(format: "%.1f", seconds)) s: \(report.count - report.failures.count) passed, \(report.failures.count) failed")
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}
