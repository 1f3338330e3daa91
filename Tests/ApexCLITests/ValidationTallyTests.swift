import ApexDSL
import ArgumentParser
import Testing

@testable import ApexCLI

/// The summary line and exit status of `apex validate`.
@Suite struct ValidationTallyTests {
    private func report(_ severities: [Severity], truncated: Int = 0) -> DiagnosticReport {
        let diagnostics = severities.map { Diagnostic($0, .unknownStep, "m", file: "f.yaml", range: .fileStart) }
        return DiagnosticReport(path: "f.yaml", source: nil, diagnostics: diagnostics, truncatedCount: truncated)
    }

    private func tally(strict: Bool = false, _ reports: [DiagnosticReport], problems: Int = 0) -> ValidationTally {
        var tally = ValidationTally(strict: strict)
        reports.forEach { tally.add($0) }
        for _ in 0..<problems { tally.addProblem() }
        return tally
    }

    private let plain = TerminalStyle(enabled: false)

    @Test func summarisesValidFiles() {
        #expect(tally([report([]), report([]), report([])]).summary(style: plain) == "✓ 3 files valid")
        #expect(tally([report([])]).summary(style: plain) == "✓ 1 file valid")
        #expect(tally([report([])]).exitCode == .success)
    }

    @Test func summarisesProblemsWithCountsInTheirOwnWords() {
        let counted = tally([report([.error, .warning]), report([.error]), report([.note])])
        #expect(counted.summary(style: plain) == "3 files checked: 2 errors, 1 warning, 1 note")
        #expect(counted.exitCode == .problemsFound)
    }

    @Test func passesWarningsUnlessStrict() {
        #expect(tally([report([.warning])]).exitCode == .success)
        #expect(tally(strict: true, [report([.warning])]).exitCode == .problemsFound)
        #expect(tally([report([.note])]).exitCode == .success)
        #expect(tally(strict: true, [report([.note])]).exitCode == .success)
    }

    @Test func failsWhenDiagnosticsWereDropped() {
        let capped = tally([report([.warning], truncated: 4)])
        #expect(capped.exitCode == .problemsFound)
        #expect(capped.summary(style: plain) == "1 file checked: 1 warning, 4 more not shown")
    }

    @Test func unreadableInputDominates() {
        let mixed = tally([report([.error])], problems: 2)
        #expect(mixed.exitCode == .badInput)
        #expect(mixed.summary(style: plain) == "1 file checked: 1 error; 2 paths could not be checked")
        #expect(tally([], problems: 1).summary(style: plain) == "0 files checked; 1 path could not be checked")
        #expect(tally([report([])], problems: 1).summary(style: plain) == "1 file checked, no problems; 1 path could not be checked")
    }
}
